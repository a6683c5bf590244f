package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.providers.Classification;
import dev.pacer.providers.Outcomes;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.http.JsonHttp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an answer of {@code /v1/images/generations} means, for both lanes: a status and a body, whether it came over
 * HTTP or on a line of a batch's output file. Images are {@code data[].b64_json}; failures go through {@link Classification}.
 */
final class OpenAiAnswers {

    static final String PROVIDER = "openai";

    private final String outputFormat;

    /** @param outputFormat the format asked for, for an answer that does not say its own */
    OpenAiAnswers(String outputFormat) {
        this.outputFormat = outputFormat;
    }

    /** @param asked how many images were asked for; fewer is a {@link ProviderOutcome.Partial}, 0 takes what came */
    ProviderOutcome outcome(JsonHttp.Answer answer, int asked) {
        JsonNode json = answer.json();
        if (answer.status() != 200) {
            return Classification.classify(error(answer));
        }
        String format = json.path("output_format").asText(outputFormat);
        String contentType = "image/" + ("jpg".equals(format) ? "jpeg" : format);
        List<GeneratedImage> images = new ArrayList<>();
        for (JsonNode item : json.path("data")) {
            if (item.hasNonNull("b64_json")) {
                Optional<byte[]> bytes = JsonHttp.bytes(item.get("b64_json"));
                if (bytes.isEmpty()) {
                    return Classification.classify(ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "data[].b64_json is not base64"));
                }
                images.add(new GeneratedImage(bytes.get(), contentType));
            }
        }
        if (images.isEmpty()) {
            return Classification.classify(ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "no data[].b64_json in the answer"));
        }
        JsonNode usage = json.path("usage");
        long input = usage.path("input_tokens").asLong(0);
        long output = usage.path("output_tokens").asLong(0);
        return Outcomes.ofAnswer(asked, new ProviderOutcome.Generated(images, new Usage(input, output, usage.path("total_tokens").asLong(input + output))),
                ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "asked for " + asked + " images, " + images.size() + " came back"));
    }

    /** {@code {"error": {"message", "type", "code"}}} and the headers a 429 carries. */
    static ProviderError error(JsonHttp.Answer answer) {
        JsonNode error = answer.json().path("error");
        String code = error.path("code").asText("");
        if (code.isEmpty()) {
            code = error.path("type").asText("HTTP_" + answer.status());
        }
        Optional<Duration> retryAfter = answer.retryAfterMs().flatMap(JsonHttp::millis)
                .or(() -> answer.retryAfter().flatMap(JsonHttp::seconds));
        return new ProviderError(PROVIDER, answer.status(), code, error.path("message").asText(answer.body()), retryAfter, Optional.empty());
    }
}
