package dev.pacer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Idempotency keys for the lines of one prompt file: a hash of the file's path, the request the line makes, and
 * how many identical requests came before it in the file. Keys survive edits elsewhere in the file and re-runs;
 * two identical lines are still two jobs.
 */
final class IdempotencyKeys {

    private final String fileIdentity;
    private final Map<String, Integer> seen = new HashMap<>();

    IdempotencyKeys(String fileIdentity) {
        this.fileIdentity = fileIdentity;
    }

    String next(ObjectNode body) {
        String request = Json.write(body);
        int occurrence = seen.merge(request, 1, Integer::sum);
        return "pacer-cli-" + sha256(fileIdentity + "\n" + occurrence + "\n" + request);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
