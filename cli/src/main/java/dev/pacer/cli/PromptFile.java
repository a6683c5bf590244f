package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A file of prompts, one per JSONL line or CSV row (with a header), each with its own options. Every readable
 * line gets an idempotency key derived from the file and the line's request, so submitting the file again (after
 * a crash, say) returns the jobs already made instead of making new ones.
 */
final class PromptFile {

    /** A line of the file: ready to submit, or not, with the reason. */
    sealed interface PromptLine permits Ready, Unreadable {
        int line();
    }

    record Ready(int line, Submission submission, String idempotencyKey) implements PromptLine {
    }

    record Unreadable(int line, String problem) implements PromptLine {
    }

    private PromptFile() {
    }

    static boolean looksLikePromptFile(String argument) {
        String lower = argument.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".csv");
    }

    static List<PromptLine> read(Path file, SubmitDefaults defaults) {
        String text;
        String identity;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
            identity = file.toRealPath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return file.toString().toLowerCase(Locale.ROOT).endsWith(".csv")
                ? csv(text, defaults, identity) : jsonLines(text, defaults, identity, base);
    }

    static List<PromptLine> jsonLines(String text, SubmitDefaults defaults, String identity) {
        return jsonLines(text, defaults, identity, Path.of("."));
    }

    /** @param base the folder input file names are relative to */
    static List<PromptLine> jsonLines(String text, SubmitDefaults defaults, String identity, Path base) {
        IdempotencyKeys keys = new IdempotencyKeys(identity);
        List<PromptLine> lines = new ArrayList<>();
        String[] rows = text.split("\r?\n", -1);
        for (int i = 0; i < rows.length; i++) {
            int number = i + 1;
            String row = rows[i].strip();
            if (row.isEmpty()) {
                continue;
            }
            JsonNode json = Json.readOrNull(row);
            if (json == null) {
                lines.add(new Unreadable(number, "not valid JSON"));
                continue;
            }
            lines.add(ready(number, json, defaults, keys, base));
        }
        return lines;
    }

    static List<PromptLine> csv(String text, SubmitDefaults defaults, String identity) {
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> header = rows.get(0).cells().stream().map(PromptFile::column).toList();
        if (!header.contains("prompt")) {
            throw new UsageException("the CSV header needs a 'prompt' column; it has " + rows.get(0).cells());
        }
        IdempotencyKeys keys = new IdempotencyKeys(identity);
        List<PromptLine> lines = new ArrayList<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            if (row.cells().size() != header.size()) {
                lines.add(new Unreadable(row.line(), "has " + row.cells().size() + " cells, the header has " + header.size()));
                continue;
            }
            ObjectNode json = Json.object();
            for (int c = 0; c < header.size(); c++) {
                String cell = row.cells().get(c);
                if (!cell.isEmpty()) {
                    putCell(json, header.get(c), cell);
                }
            }
            lines.add(ready(row.line(), json, defaults, keys, Path.of(".")));
        }
        return lines;
    }

    private static PromptLine ready(int number, JsonNode json, SubmitDefaults defaults, IdempotencyKeys keys, Path base) {
        try {
            Submission submission = Submission.of(json, defaults, base);
            return new Ready(number, submission, keys.next(submission.identity()));
        } catch (Submission.Invalid e) {
            return new Unreadable(number, e.getMessage());
        }
    }

    /** CSV cells are text; count must become a number for the API ("2" is refused). */
    private static void putCell(ObjectNode json, String column, String cell) {
        if (column.startsWith("metadata.")) {
            json.withObjectProperty("metadata").put(column.substring("metadata.".length()), cell);
        } else if (column.equals("count")) {
            try {
                json.put("count", Integer.parseInt(cell.strip()));
            } catch (NumberFormatException e) {
                json.put("count", cell); // Submission names the field in its refusal
            }
        } else {
            json.put(column, cell);
        }
    }

    private static final Map<String, String> COLUMNS = new HashMap<>();

    static {
        for (String field : Submission.FIELDS) {
            COLUMNS.put(field.toLowerCase(Locale.ROOT), field);
        }
        COLUMNS.put("aspect_ratio", "aspectRatio");
        COLUMNS.put("callback_url", "callbackUrl");
    }

    /** Header names: the JSON field names, case-insensitively, or metadata.KEY. */
    private static String column(String header) {
        String name = header.strip();
        if (name.startsWith("metadata.") && name.length() > "metadata.".length()) {
            return name;
        }
        String field = COLUMNS.get(name.toLowerCase(Locale.ROOT));
        if (field == null || field.equals("metadata")) {
            throw new UsageException("unknown CSV column '" + name + "' (known: prompt, model, resolution, aspectRatio, count, "
                    + "callbackUrl, name, metadata.KEY)");
        }
        return field;
    }
}
