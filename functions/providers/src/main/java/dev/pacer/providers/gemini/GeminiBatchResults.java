package dev.pacer.providers.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.providers.Classification;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.http.DecodedJson;
import dev.pacer.providers.http.JsonHttp;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * A Gemini batch's answers, one request (one image) at a time: inline in the operation
 * ({@code response.inlinedResponses.inlinedResponses[]}, each {@code {metadata:{key}, response | error}}), or the lines
 * of its responses file ({@code {key, response | error}}). A response is classified exactly as the sync lane
 * classifies a {@code generateContent} answer; an error is a {@code google.rpc.Status}, read as the HTTP error it
 * stands for.
 */
final class GeminiBatchResults {

    /** The base64 image fields, decoded as they are read. */
    static final Set<String> IMAGES = Set.of("data");

    private static final System.Logger LOG = System.getLogger(GeminiBatchResults.class.getName());

    /** {@code google.rpc.Code} by number: its name and the HTTP status it maps to. */
    private static final String[] CODE_NAMES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
            "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
            "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
    private static final int[] CODE_STATUSES = {200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401};

    private GeminiBatchResults() {
    }

    /** Where a batch's answers are, found while the operation streams past. */
    static final class Output {
        private boolean inline;
        private String responsesFile;

        /** The operation carried its answers inline, and they have been handed on. */
        boolean inline() {
            return inline;
        }

        Optional<String> responsesFile() {
            return Optional.ofNullable(responsesFile);
        }
    }

    /**
     * Walks an operation as it is read, handing each inlined response to {@code each} as soon as it is parsed, and
     * noting a {@code responsesFile} instead when there is one. Only the output's containers are entered; everything
     * else is skipped unread.
     */
    static Output walk(JsonParser parser, Consumer<BatchLineResult> each) throws IOException {
        Output output = new Output();
        if (parser.nextToken() == JsonToken.START_OBJECT) {
            walkObject(parser, output, each);
        }
        return output;
    }

    private static void walkObject(JsonParser parser, Output output, Consumer<BatchLineResult> each) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("inlinedResponses") && !output.inline && value == JsonToken.START_ARRAY) {
                output.inline = true;
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    inlined(DecodedJson.value(parser, element, IMAGES)).ifPresent(each);
                }
            } else if (value == JsonToken.START_OBJECT && !output.inline
                    && (field.equals("inlinedResponses") || field.equals("response") || field.equals("metadata") || field.equals("output"))) {
                walkObject(parser, output, each);
            } else if (field.equals("responsesFile") && value == JsonToken.VALUE_STRING) {
                output.responsesFile = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
    }

    /** {@code {"metadata": {"key": …}, "response": … | "error": …}}. */
    static Optional<BatchLineResult> inlined(JsonNode inlined) {
        return line(inlined.path("metadata").path("key").asText(""), inlined);
    }

    /** {@code {"key": …, "response": … | "error": …}}. */
    static Optional<BatchLineResult> fileLine(JsonNode line) {
        return line(line.path("key").asText(""), line);
    }

    private static Optional<BatchLineResult> line(String key, JsonNode line) {
        int slash = key.lastIndexOf('/');
        int index;
        try {
            index = slash < 1 ? -1 : Integer.parseInt(key.substring(slash + 1));
        } catch (NumberFormatException notOurs) {
            index = -1;
        }
        if (index < 0) {
            // every request pacer sends is keyed jobId/index; anything else is not a line of ours
            LOG.log(System.Logger.Level.WARNING, "gemini batch line with a key pacer did not give: {0}", JsonHttp.abbreviate(key));
            return Optional.empty();
        }
        return Optional.of(new BatchLineResult(key.substring(0, slash), index, outcome(key, line)));
    }

    private static ProviderOutcome outcome(String key, JsonNode line) {
        if (line.path("response").isObject()) {
            return GeminiAnswers.outcome(new JsonHttp.Answer(200, line.get("response"), "batch line " + key, Map.of()));
        }
        JsonNode status = line.path("error").isObject() ? line.get("error") : line.path("status");
        if (status.isObject()) {
            return GeminiAnswers.outcome(asHttpError(status));
        }
        return Classification.classify(ProviderError.of(GeminiAnswers.PROVIDER, 200, "MALFORMED_ANSWER",
                "batch line " + key + " has neither a response nor an error"));
    }

    /**
     * A line's {@code google.rpc.Status} ({@code {code: 8, message, details}}, code a gRPC number) as the HTTP error
     * answer the sync lane would have had ({@code 429 {"error": {code, message, status: "RESOURCE_EXHAUSTED", details}}}),
     * so the same rows classify it and its {@code details} (QuotaFailure, RetryInfo) are read the same way.
     */
    static JsonHttp.Answer asHttpError(JsonNode status) {
        int code = status.path("code").asInt(2);
        String name = status.path("status").asText("");
        int http;
        if (code >= 100) {
            http = code;
        } else {
            int number = code >= 0 && code < CODE_NAMES.length ? code : 2;
            http = CODE_STATUSES[number];
            if (name.isEmpty()) {
                name = CODE_NAMES[number];
            }
        }
        if (http == 200) {
            // an error that says OK is no answer pacer can use
            http = 500;
        }
        ObjectNode error = status.deepCopy();
        if (!name.isEmpty()) {
            error.put("status", name);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("error", error);
        return new JsonHttp.Answer(http, answer, status.path("message").asText(""), Map.of());
    }
}
