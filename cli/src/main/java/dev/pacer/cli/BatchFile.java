package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs one submit made, one JSON line each ({@code line, name, id, images}), appended as each is
 * accepted so a crash loses nothing; {@code wait}, {@code status} and {@code download} read it back. A re-run of
 * submit appends the same ids again (idempotency keys), and reading keeps one entry per job.
 */
final class BatchFile {

    /** A submitted job: its line in the prompt file (0 for the command line), the name its images go under. */
    record Entry(int line, Optional<String> name, String id, int images) {
    }

    private final Path path;

    BatchFile(Path path) {
        this.path = path;
    }

    /** prompts.jsonl → prompts.jsonl.pacer.jsonl, next to it. */
    static Path besidePromptFile(Path promptFile) {
        return promptFile.resolveSibling(promptFile.getFileName() + ".pacer.jsonl");
    }

    Path path() {
        return path;
    }

    synchronized void append(Entry entry) {
        ObjectNode json = Json.object();
        json.put("line", entry.line());
        entry.name().ifPresent(name -> json.put("name", name));
        json.put("id", entry.id());
        json.put("images", entry.images());
        try (BufferedWriter writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            writer.write(Json.write(json));
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether a run has written it yet. */
    boolean exists() {
        return Files.isRegularFile(path);
    }

    /** The jobs in the file, one per id, in the order of their lines in the prompt file. */
    List<Entry> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the batch file " + path + ": " + e.getMessage(), e);
        }
        Map<String, Entry> byId = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode json = Json.readOrNull(lines.get(i));
            if (json == null || !json.path("id").isTextual()) {
                throw new UsageException(path + " line " + (i + 1) + " is not a pacer batch entry");
            }
            String id = json.get("id").asText();
            Optional<String> name = json.path("name").isTextual() ? Optional.of(json.get("name").asText()) : Optional.empty();
            byId.putIfAbsent(id, new Entry(json.path("line").asInt(0), name, id, json.path("images").asInt(1)));
        }
        List<Entry> entries = new ArrayList<>(byId.values());
        entries.sort(Comparator.comparingInt(Entry::line));
        return entries;
    }
}
