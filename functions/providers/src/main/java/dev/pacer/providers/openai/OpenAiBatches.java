package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;

/**
 * An OpenAI batch object as the API describes it: {@code {id, status, metadata, request_counts: {total, completed,
 * failed}, output_file_id, error_file_id, created_at}}.
 */
final class OpenAiBatches {

    /** pacer's display name, kept in the batch's metadata: OpenAI batches have no name of their own. */
    static final String DISPLAY_NAME = "display_name";

    private static final System.Logger LOG = System.getLogger(OpenAiBatches.class.getName());

    private OpenAiBatches() {
    }

    static ProviderBatch batch(JsonNode json, String knownDisplayName) {
        JsonNode counts = json.path("request_counts");
        return new ProviderBatch(json.path("id").asText(""),
                json.path("metadata").path(DISPLAY_NAME).asText(knownDisplayName),
                state(json.path("status").asText("")),
                counts.path("total").asInt(0), counts.path("completed").asInt(0), counts.path("failed").asInt(0));
    }

    /** A status the API does not name yet is taken for work under way: the poller asks again. */
    static BatchState state(String status) {
        return switch (status) {
            case "validating" -> BatchState.PENDING;
            case "in_progress", "finalizing", "cancelling" -> BatchState.RUNNING;
            case "completed" -> BatchState.SUCCEEDED;
            case "failed" -> BatchState.FAILED;
            case "expired" -> BatchState.EXPIRED;
            case "cancelled" -> BatchState.CANCELLED;
            default -> {
                LOG.log(System.Logger.Level.WARNING, "openai batch status {0} is unknown: taken for running", status);
                yield BatchState.RUNNING;
            }
        };
    }
}
