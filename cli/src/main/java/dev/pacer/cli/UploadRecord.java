package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The uploads a prompt file's inputs have made, beside it as {@code FILE.pacer-uploads.jsonl}: one line per file
 * content ({@code {"sha256", "upload", "expiresAt"}}). A re-run names the same uploads and sends nothing again, until
 * they come within an hour of expiring; then the file is uploaded anew.
 */
final class UploadRecord {

    private static final Duration MARGIN = Duration.ofHours(1);

    private final Path path;
    private final Map<String, JsonNode> bySha = new HashMap<>();

    UploadRecord(Path path) {
        this.path = path;
        if (Files.isRegularFile(path)) {
            try {
                for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    JsonNode entry = Json.readOrNull(line);
                    if (entry != null && entry.hasNonNull("sha256") && entry.hasNonNull("upload")) {
                        bySha.put(entry.get("sha256").asText(), entry);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
    }

    static UploadRecord besidePromptFile(Path promptFile) {
        String name = promptFile.getFileName().toString().replaceFirst("\\.(jsonl|ndjson|csv)$", "");
        return new UploadRecord(promptFile.resolveSibling(name + ".pacer-uploads.jsonl"));
    }

    /** The upload id of this file's content: recorded and still usable, or uploaded now (and recorded). */
    synchronized String uploadOnce(PacerApi api, EditInput.LocalFile file) {
        JsonNode known = bySha.get(file.sha256());
        if (known != null && Instant.parse(known.path("expiresAt").asText("1970-01-01T00:00:00Z")).isAfter(Instant.now().plus(MARGIN))) {
            return known.get("upload").asText();
        }
        JsonNode created = api.createUpload(file.contentType(), file.bytes());
        Map<String, String> fields = new LinkedHashMap<>();
        created.path("upload").path("fields").fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
        api.postForm(URI.create(created.path("upload").path("url").asText()), fields, file.path(), file.contentType());
        JsonNode entry = Json.object().put("sha256", file.sha256()).put("upload", created.path("id").asText())
                .put("expiresAt", created.path("expiresAt").asText()).put("file", file.path().getFileName().toString());
        try {
            Files.writeString(path, Json.write(entry) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the upload in " + path, e);
        }
        bySha.put(file.sha256(), entry);
        return created.path("id").asText();
    }
}
