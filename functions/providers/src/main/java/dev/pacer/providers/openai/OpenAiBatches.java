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
    /** The error code of a batch refused for the enqueued-token limit. */
    static final String TOKEN_LIMIT_EXCEEDED = "token_limit_exceeded";

    private static final System.Logger LOG = System.getLogger(OpenAiBatches.class.getName());

    private OpenAiBatches() {
    }

    static ProviderBatch batch(JsonNode json, String knownDisplayName) {
        JsonNode counts = json.path("request_counts");
        BatchState state = state(json.path("status").asText(""));
        return new ProviderBatch(json.path("id").asText(""),
                json.path("metadata").path(DISPLAY_NAME).asText(knownDisplayName),
                state == BatchState.FAILED && overQuota(json) ? BatchState.OVER_QUOTA : state,
                counts.path("total").asInt(0), counts.path("completed").asInt(0), counts.path("failed").asInt(0));
    }

    /**
     * OpenAI takes a batch over the organization's enqueued-token limit and fails it in validation with
     * {@code errors.data[].code} {@code token_limit_exceeded} ("Enqueued token limit reached for … Please try again once
     * some in_progress batches have been completed."): the batch quota, not a bad input.
     */
    static boolean overQuota(JsonNode json) {
        for (JsonNode error : json.path("errors").path("data")) {
            if (TOKEN_LIMIT_EXCEEDED.equals(error.path("code").asText(""))) {
                return true;
            }
        }
        return false;
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
