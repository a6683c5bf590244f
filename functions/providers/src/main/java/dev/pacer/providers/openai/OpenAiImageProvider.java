package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.StatedLimit;
import dev.pacer.core.quota.StatedLimits;
import dev.pacer.providers.Classification;
import dev.pacer.providers.Outcomes;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderAdapter;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.http.JsonHttp;

import java.net.URI;
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

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * OpenAI's GPT Image models through {@code POST {base}/v1/images/generations}: all of a job's images
 * in one request ({@code n}), base64 in {@code data[].b64_json}, token {@code usage} recorded. Every answer's
 * {@code x-ratelimit-*} headers, and a 429's "on images per minute (IPM): Limit 5", go to the quota ledger.
 */
public final class OpenAiImageProvider implements ProviderAdapter {

    static final String PROVIDER = "openai";
    /** "Rate limit reached for MODEL in organization … on images per minute (IPM): Limit 5, Used 5, Requested 1." */
    private static final Pattern NAMED_LIMIT = Pattern.compile("\\((RPM|IPM|TPM|RPD)\\): Limit (\\d+)(?:, Used (\\d+))?");

    private final JsonHttp http;
    private final ProviderTimeouts timeouts;
    private final String quality;
    private final String outputFormat;
    private final ModelCatalog catalog;

    /**
     * @param quality      {@code low}, {@code medium}, {@code high} or {@code auto}
     * @param outputFormat {@code png}, {@code jpeg} or {@code webp}
     * @param catalog      what each model is called at OpenAI
     */
    public OpenAiImageProvider(ProviderTimeouts timeouts, String quality, String outputFormat, ModelCatalog catalog) {
        this.http = new JsonHttp(PROVIDER, timeouts, Set.of("b64_json"));
        this.timeouts = timeouts;
        this.quality = quality;
        this.outputFormat = outputFormat;
        this.catalog = catalog;
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, ProviderAccount account) {
        URI uri = URI.create(JsonHttp.trimSlash(account.baseUrl()) + "/v1/images/generations");
        JsonHttp.Result result = http.post(uri, Map.of("Authorization", "Bearer " + account.apiKey()), body(request),
                timeouts.forResolution(request.resolution())).join();
        return result.answer().map(answer -> outcome(answer, request.count())).orElseGet(() -> Classification.classify(result.failure().orElseThrow()));
    }

    JsonNode body(GenerationRequest request) {
        ObjectNode body = JSON.createObjectNode()
                .put("model", catalog.find(request.model()).map(ModelSpec::providerModel).orElse(request.model()))
                .put("prompt", request.prompt())
                .put("n", request.count())
                .put("size", size(request.aspectRatio()))
                .put("quality", quality)
                .put("output_format", outputFormat);
        return body;
    }

    /** GPT Image's three sizes, the same for every GPT Image model; the catalog lets only these ratios through. */
    static String size(String aspectRatio) {
        return switch (aspectRatio) {
            case "3:2" -> "1536x1024";
            case "2:3" -> "1024x1536";
            case "1:1" -> "1024x1024";
            default -> throw new IllegalArgumentException("no OpenAI size for aspect ratio " + aspectRatio);
        };
    }

    ProviderOutcome outcome(JsonHttp.Answer answer, int asked) {
        JsonNode json = answer.json();
        if (answer.status() != 200) {
            JsonNode error = json.path("error");
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
            return Classification.classify(new ProviderError(PROVIDER, answer.status(), code, message, retryAfter, Optional.empty(),
                    named, stated));
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
     * The limits every OpenAI answer states: {@code x-ratelimit-limit-requests} (read as requests per minute; for image
     * models OpenAI's tiers name images per minute, and whether these headers count requests or images is not
     * confirmed), {@code x-ratelimit-limit-tokens} (tokens per minute), each with its {@code -remaining-} and
     * {@code -reset-} ({@code 1s}, {@code 6m0s}).
     */
    static StatedLimits stated(JsonHttp.Answer answer) {
        Map<Dimension, StatedLimit> stated = new EnumMap<>(Dimension.class);
        for (var kind : Map.of("requests", Dimension.RPM, "tokens", Dimension.TPM).entrySet()) {
            Optional<Integer> limit = answer.header("x-ratelimit-limit-" + kind.getKey()).flatMap(OpenAiImageProvider::whole)
                    .filter(l -> l >= 1).map(l -> (int) Math.min(Integer.MAX_VALUE, l));
            if (limit.isPresent()) {
                stated.put(kind.getValue(), new StatedLimit(limit.get(),
                        answer.header("x-ratelimit-remaining-" + kind.getKey()).flatMap(OpenAiImageProvider::whole),
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
