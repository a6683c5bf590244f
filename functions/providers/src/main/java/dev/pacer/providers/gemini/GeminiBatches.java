package dev.pacer.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A Gemini batch as the API describes it: an operation {@code {name, metadata: GenerateContentBatch, done, error?,
 * response?}}, where the batch resource itself ({@code displayName}, {@code state}, {@code batchStats}) is the
 * operation's metadata. A bare batch resource (no operation around it) is read too.
 */
final class GeminiBatches {

    private GeminiBatches() {
    }

    static ProviderBatch batch(JsonNode operation, String knownDisplayName) {
        JsonNode batch = resource(operation);
        String name = text(operation, "name", text(batch, "name", ""));
        String displayName = text(batch, "displayName", text(batch, "display_name", knownDisplayName));
        JsonNode stats = batch.has("batchStats") ? batch.path("batchStats") : batch.path("batch_stats");
        return new ProviderBatch(name, displayName,
                state(text(batch, "state", ""), operation.path("done").asBoolean(false), operation.hasNonNull("error")),
                count(stats, "requestCount", "request_count"),
                count(stats, "successfulRequestCount", "successful_request_count"),
                count(stats, "failedRequestCount", "failed_request_count"));
    }

    /** When the batch was created, for newest first; the epoch when the answer does not say. */
    static Instant created(JsonNode operation) {
        String text = text(resource(operation), "createTime", text(resource(operation), "create_time", ""));
        try {
            return text.isEmpty() ? Instant.EPOCH : Instant.parse(text);
        } catch (DateTimeParseException unreadable) {
            return Instant.EPOCH;
        }
    }

    /**
     * {@code BATCH_STATE_*} (the REST reference) or {@code JOB_STATE_*} (the SDKs and some samples), as the same
     * states. A state the API does not name (unspecified, or new) is read from {@code done}: a finished operation
     * with an error failed, one without succeeded, and an unfinished one is still pending.
     */
    static BatchState state(String state, boolean done, boolean failed) {
        String bare = state.replaceFirst("^(BATCH|JOB)_STATE_", "");
        return switch (bare) {
            case "PENDING", "QUEUED" -> BatchState.PENDING;
            case "RUNNING", "CANCELLING", "PAUSED", "UPDATING" -> BatchState.RUNNING;
            case "SUCCEEDED", "PARTIALLY_SUCCEEDED" -> BatchState.SUCCEEDED;
            case "FAILED" -> BatchState.FAILED;
            case "CANCELLED" -> BatchState.CANCELLED;
            case "EXPIRED" -> BatchState.EXPIRED;
            default -> !done ? BatchState.PENDING : failed ? BatchState.FAILED : BatchState.SUCCEEDED;
        };
    }

    /** The operation's metadata when it is the batch resource, else the node itself. */
    private static JsonNode resource(JsonNode operation) {
        JsonNode metadata = operation.path("metadata");
        return metadata.isObject() && (metadata.has("state") || metadata.has("displayName") || metadata.has("display_name"))
                ? metadata : operation;
    }

    /** int64 counts come as JSON strings ({@code "12"}); a missing one is 0. */
    private static int count(JsonNode stats, String camel, String snake) {
        JsonNode value = stats.has(camel) ? stats.get(camel) : stats.path(snake);
        return (int) Math.min(Integer.MAX_VALUE, value.asLong(0));
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : otherwise;
    }
}
