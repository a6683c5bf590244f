package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.providers.Classification;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.http.JsonHttp;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One line of an OpenAI batch's output or error file, {@code {id, custom_id, response: {status_code, request_id,
 * body}, error}}, as the outcome of the job it carries: the response's status and body are classified exactly as the
 * sync lane classifies the same answer over HTTP. A line the batch never ran (its error {@code batch_expired} or
 * {@code batch_cancelled}) did not come back, so it is no result at all.
 */
final class OpenAiBatchResults {

    /** The base64 image field, decoded as it is read. */
    static final Set<String> IMAGES = Set.of("b64_json");
    /** Error codes of lines the batch did not run: nothing was made or billed, the lane may ask again. */
    static final Set<String> NOT_RUN = Set.of("batch_expired", "batch_cancelled");

    private final OpenAiAnswers answers;

    OpenAiBatchResults(OpenAiAnswers answers) {
        this.answers = answers;
    }

    Optional<BatchLineResult> line(JsonNode line) {
        String jobId = line.path("custom_id").asText("");
        if (jobId.isEmpty()) {
            return Optional.empty();
        }
        JsonNode response = line.path("response");
        if (response.isObject() && response.has("status_code")) {
            JsonHttp.Answer answer = new JsonHttp.Answer(response.path("status_code").asInt(), response.path("body"),
                    "batch line " + jobId, Map.of());
            // the line does not say how many images it asked for: the lane compares what came with the job's count
            return Optional.of(new BatchLineResult(jobId, 0, answers.outcome(answer, 0)));
        }
        JsonNode error = line.path("error");
        if (error.isObject()) {
            String code = error.path("code").asText("");
            if (NOT_RUN.contains(code)) {
                return Optional.empty();
            }
            return Optional.of(new BatchLineResult(jobId, 0, Classification.classify(
                    ProviderError.of(OpenAiAnswers.PROVIDER, statusOf(code), code.isEmpty() ? "batch_line_error" : code,
                            error.path("message").asText("")))));
        }
        return Optional.of(new BatchLineResult(jobId, 0, Classification.classify(ProviderError.of(OpenAiAnswers.PROVIDER, 200,
                "MALFORMED_ANSWER", "batch line " + jobId + " has neither a response nor an error"))));
    }

    /**
     * A line error without a response is the batch's verdict on the line as written (a bad line is never run), so
     * it is read as a 400, except the codes that say the provider failed or was busy.
     */
    private static int statusOf(String code) {
        if (code.contains("rate_limit")) {
            return 429;
        }
        return code.contains("server_error") || code.contains("timeout") || code.contains("unavailable") ? 500 : 400;
    }
}
