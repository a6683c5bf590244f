package dev.pacer.core.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/** A hash of what a request asks for after defaults, so a retried submission matches however its JSON was laid out. */
public final class RequestFingerprint {

    public static String of(GenerationRequest request) {
        String canonical = String.join("\u0000", request.prompt(), request.model(), request.resolution().label(),
                request.aspectRatio(), Integer.toString(request.count()), new TreeMap<>(request.metadata()).toString());
        return sha256(canonical);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private RequestFingerprint() {
    }
}
