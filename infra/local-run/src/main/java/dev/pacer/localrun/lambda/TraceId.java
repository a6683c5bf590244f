package dev.pacer.localrun.lambda;

import java.security.SecureRandom;
import java.util.HexFormat;

/** X-Ray trace header values in Lambda's format, so code that logs or propagates them sees the real shape. */
public final class TraceId {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceId() {
    }

    public static String next() {
        String epoch = Long.toHexString(System.currentTimeMillis() / 1000);
        return "Root=1-" + epoch + "-" + hex(12) + ";Parent=" + hex(8) + ";Sampled=0";
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
