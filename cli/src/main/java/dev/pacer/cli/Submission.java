package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One prompt ready to POST: the request body, the name its images are saved under, and how many images it asks
 * for. Built from a prompt file's line or the command line; checks shapes only, the server checks the rest.
 */
record Submission(ObjectNode body, Optional<String> name, int images, List<EditInput> inputs, Optional<EditInput> mask) {

    static final Set<String> FIELDS = Set.of("prompt", "model", "resolution", "aspectRatio", "count", "callbackUrl", "metadata", "name",
            "lane", "deadline", "inputs", "mask");

    Submission {
        inputs = List.copyOf(inputs);
    }

    /** Whether it waits for an earlier line's job to succeed. */
    boolean chained() {
        return inputs.stream().anyMatch(EditInput.FromLine.class::isInstance) || mask.filter(EditInput.FromLine.class::isInstance).isPresent();
    }

    /** The body with what each input is (content hashes, line names): what the line's idempotency key is made from. */
    ObjectNode identity() {
        if (inputs.isEmpty() && mask.isEmpty()) {
            return body;
        }
        ObjectNode identity = body.deepCopy();
        inputs.forEach(input -> identity.withArrayProperty("inputs").add(input.identity()));
        mask.ifPresent(m -> identity.put("mask", m.identity()));
        return identity;
    }

    /** Thrown for a line that cannot become a request; the message names the field. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    static Submission of(JsonNode line, SubmitDefaults defaults) {
        return of(line, defaults, Path.of("."));
    }

    /** @param base where a line's input file names are relative to: the prompt file's folder */
    static Submission of(JsonNode line, SubmitDefaults defaults, Path base) {
        if (!line.isObject()) {
            throw new Invalid("expected a JSON object");
        }
        for (Iterator<String> names = line.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new Invalid("unknown field '" + name + "' (known: prompt, model, resolution, aspectRatio, count, callbackUrl, metadata, name, lane, "
                        + "deadline, inputs, mask)");
            }
        }
        ObjectNode body = Json.object();
        String prompt = text(line, "prompt").orElseThrow(() -> new Invalid("prompt: missing"));
        if (prompt.isBlank()) {
            throw new Invalid("prompt: empty");
        }
        body.put("prompt", prompt);
        text(line, "model").or(defaults::model).ifPresent(model -> body.put("model", model));
        text(line, "resolution").or(defaults::resolution).ifPresent(resolution -> body.put("resolution", resolution));
        text(line, "aspectRatio").or(defaults::aspectRatio).ifPresent(ratio -> body.put("aspectRatio", ratio));
        Optional<Integer> count = integer(line, "count").or(defaults::count);
        count.ifPresent(images -> body.put("count", images));
        text(line, "callbackUrl").or(defaults::callbackUrl).ifPresent(url -> body.put("callbackUrl", url));
        text(line, "lane").or(defaults::lane).ifPresent(lane -> body.put("lane", lane));
        text(line, "deadline").or(defaults::deadline).ifPresent(deadline -> body.put("deadline", deadline));
        Map<String, String> metadata = metadata(line);
        Optional<String> name = text(line, "name").or(() -> Optional.ofNullable(metadata.get("name")));
        // the name travels with the job too, so whoever reads it from the API knows it by the same name
        name.ifPresent(n -> metadata.putIfAbsent("name", n));
        if (!metadata.isEmpty()) {
            ObjectNode meta = body.putObject("metadata");
            metadata.forEach(meta::put);
        }
        List<EditInput> inputs = new ArrayList<>();
        JsonNode listed = line.get("inputs");
        if (listed != null && !listed.isNull()) {
            if (!listed.isArray()) {
                throw new Invalid("inputs: must be a list of file names or {\"from\": name, \"index\": n}");
            }
            for (int i = 0; i < listed.size(); i++) {
                inputs.add(EditInput.of(listed.get(i), "inputs[" + i + "]", base));
            }
        }
        Optional<EditInput> mask = Optional.ofNullable(line.get("mask")).filter(m -> !m.isNull()).map(m -> EditInput.of(m, "mask", base));
        return new Submission(body, name, count.orElse(1), inputs, mask);
    }

    private static Optional<String> text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new Invalid(field + ": must be a string");
        }
        return Optional.of(value.asText());
    }

    private static Optional<Integer> integer(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new Invalid(field + ": must be a whole number");
        }
        return Optional.of(value.intValue());
    }

    /** Sorted, so the same metadata always makes the same body and the same idempotency key. */
    private static Map<String, String> metadata(JsonNode line) {
        Map<String, String> metadata = new TreeMap<>();
        JsonNode value = line.get("metadata");
        if (value == null || value.isNull()) {
            return metadata;
        }
        if (!value.isObject()) {
            throw new Invalid("metadata: must be an object of strings");
        }
        value.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new Invalid("metadata." + entry.getKey() + ": must be a string");
            }
            metadata.put(entry.getKey(), entry.getValue().asText());
        });
        return metadata;
    }
}
