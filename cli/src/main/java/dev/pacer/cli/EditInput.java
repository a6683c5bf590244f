package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A reference image a prompt file's line names (docs/edits.md): a local file, uploaded once per content; an earlier
 * line's image, by that line's name; or an upload or job the API already knows, passed on as it is.
 */
sealed interface EditInput {

    /** What the idempotency key of the line hashes, so the same line with other images is another job. */
    String identity();

    /** A local file: its content hash, size and type by its first bytes. */
    record LocalFile(Path path, String sha256, long bytes, String contentType) implements EditInput {
        public String identity() {
            return "file:" + sha256;
        }
    }

    /** {@code {"from": "<line name>", "index": n}}: an image of an earlier line's job, once that job has succeeded. */
    record FromLine(String name, int index) implements EditInput {
        public String identity() {
            return "from:" + name + "#" + index;
        }
    }

    /** {@code {"upload": id}} or {@code {"job": id, "index": n}}, as the API takes it. */
    record Named(ObjectNode reference) implements EditInput {
        public String identity() {
            return Json.write(reference);
        }
    }

    /** A file name (relative to {@code base}, the prompt file's folder) or one of the objects above. */
    static EditInput of(JsonNode value, String field, Path base) {
        if (value.isTextual()) {
            return file(base.resolve(value.asText()), field);
        }
        if (!value.isObject()) {
            throw new Submission.Invalid(field + ": must be a file name or an object ({\"from\": name, \"index\": n})");
        }
        int index = 0;
        if (value.has("index")) {
            if (!value.get("index").isIntegralNumber() || value.get("index").asInt() < 0) {
                throw new Submission.Invalid(field + ".index: must be a whole number of at least 0");
            }
            index = value.get("index").asInt();
        }
        if (value.has("from")) {
            if (!value.get("from").isTextual() || value.size() > (value.has("index") ? 2 : 1)) {
                throw new Submission.Invalid(field + ": {\"from\": \"<line name>\", \"index\": n} and nothing else");
            }
            return new FromLine(value.get("from").asText(), index);
        }
        if (value.has("upload") || value.has("job")) {
            return new Named(((ObjectNode) value).deepCopy());
        }
        throw new Submission.Invalid(field + ": an object needs \"from\" (a line name), \"upload\" or \"job\"");
    }

    private static LocalFile file(Path path, String field) {
        if (!Files.isRegularFile(path)) {
            throw new Submission.Invalid(field + ": no such file " + path);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha256())) {
            byte[] head = in.readNBytes(12);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            String type = typeOf(head);
            if (type == null) {
                throw new Submission.Invalid(field + ": " + path + " is not a PNG, JPEG or WebP image (by its first bytes)");
            }
            String hash = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            return new LocalFile(path, hash, Files.size(path), type);
        } catch (IOException e) {
            throw new Submission.Invalid(field + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    /** The type the API will find too: by magic numbers, not by the name. */
    static String typeOf(byte[] head) {
        if (head.length >= 8 && Arrays.equals(Arrays.copyOf(head, 8), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
            return "image/png";
        }
        if (head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
