package dev.pacer.worker.callbacks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The {@code Pacer-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}. Signing the
 * time with the body lets a receiver refuse old replays; {@code v1} leaves room for another scheme later.
 */
public final class CallbackSignature {

    public static final String HEADER = "Pacer-Signature";

    private final byte[] key;

    public CallbackSignature(String key) {
        if (key.isBlank()) {
            throw new IllegalArgumentException("the callback signing key is empty");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    public String header(long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
