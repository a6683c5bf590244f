package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.StatedLimit;
import dev.pacer.core.quota.StatedLimits;
import dev.pacer.providers.Classification;
import dev.pacer.providers.Outcomes;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.http.JsonHttp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an answer of {@code /v1/images/generations} means, for both lanes: a status and a body, whether it came over
 * HTTP or on a line of a batch's output file. Images are {@code data[].b64_json}; failures go through {@link Classification}.
 */
final class OpenAiAnswers {

    static final String PROVIDER = "openai";
    /** "Rate limit reached for MODEL in organization … on images per minute (IPM): Limit 5, Used 5, Requested 1." */
    private static final Pattern NAMED_LIMIT = Pattern.compile("\\((RPM|IPM|TPM|RPD)\\): Limit (\\d+)(?:, Used (\\d+))?");

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
        return Outcomes.ofAnswer(asked, new ProviderOutcome.Generated(images, new Usage(input, output, usage.path("total_tokens").asLong(input + output)),
                        stated(answer)),
                ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "asked for " + asked + " images, " + images.size() + " came back"));
    }

    /**
     * {@code {"error": {"message", "type", "code"}}} and the headers a 429 carries. A 429's message names the limit it
     * met ("on images per minute (IPM): Limit 5"): that limit is stated, and named for the ledger.
     */
    static ProviderError error(JsonHttp.Answer answer) {
        JsonNode error = answer.json().path("error");
        String code = error.path("code").asText("");
        if (code.isEmpty()) {
            code = error.path("type").asText("HTTP_" + answer.status());
        }
        Optional<Duration> retryAfter = answer.retryAfterMs().flatMap(JsonHttp::millis)
                .or(() -> answer.retryAfter().flatMap(JsonHttp::seconds));
        String message = error.path("message").asText(answer.body());
        StatedLimits stated = stated(answer);
        Set<Dimension> named = Set.of();
        Matcher limit = NAMED_LIMIT.matcher(message);
        if (limit.find()) {
            Dimension dimension = Dimension.ofLabel(limit.group(1));
            named = Set.of(dimension);
            stated = stated.and(StatedLimits.of(dimension, StatedLimit.of(Integer.parseInt(limit.group(2)),
                    "429: \"" + limit.group(0) + "\"")));
        } else if ("tokens".equals(error.path("type").asText(""))) {
            named = Set.of(Dimension.TPM);
        }
        return new ProviderError(PROVIDER, answer.status(), code, message, retryAfter, Optional.empty(), named, stated);
    }

    /**
     * The limits every OpenAI answer states: {@code x-ratelimit-limit-requests} (read as requests per minute; for image
     * models OpenAI's tiers name images per minute, and whether these headers count requests or images is not
     * confirmed), {@code x-ratelimit-limit-tokens} (tokens per minute), each with its {@code -remaining-} and
     * {@code -reset-} ({@code 1s}, {@code 6m0s}). A batch's output line carries no headers: nothing is stated.
     */
    static StatedLimits stated(JsonHttp.Answer answer) {
        Map<Dimension, StatedLimit> stated = new EnumMap<>(Dimension.class);
        for (var kind : Map.of("requests", Dimension.RPM, "tokens", Dimension.TPM).entrySet()) {
            Optional<Integer> limit = answer.header("x-ratelimit-limit-" + kind.getKey()).flatMap(OpenAiAnswers::whole)
                    .filter(l -> l >= 1).map(l -> (int) Math.min(Integer.MAX_VALUE, l));
            if (limit.isPresent()) {
                stated.put(kind.getValue(), new StatedLimit(limit.get(),
                        answer.header("x-ratelimit-remaining-" + kind.getKey()).flatMap(OpenAiAnswers::whole),
                        answer.header("x-ratelimit-reset-" + kind.getKey()).flatMap(JsonHttp::goDuration),
                        "x-ratelimit-limit-" + kind.getKey()));
            }
        }
        return new StatedLimits(stated);
    }

    private static Optional<Long> whole(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip().toLowerCase(Locale.ROOT)));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }
}
