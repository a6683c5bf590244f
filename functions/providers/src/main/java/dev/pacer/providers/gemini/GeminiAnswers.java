package dev.pacer.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.StatedLimit;
import dev.pacer.core.quota.StatedLimits;
import dev.pacer.providers.Classification;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.http.JsonHttp;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.pacer.providers.http.JsonHttp.abbreviate;

/**
 * What a Gemini answer means, for both lanes: a {@code GenerateContentResponse} with its images, a block inside a 200
 * ({@code promptFeedback.blockReason}, a {@code finishReason}), or an error status, classified by {@link Classification}.
 */
final class GeminiAnswers {

    static final String PROVIDER = "gemini";

    private GeminiAnswers() {
    }

    static ProviderOutcome outcome(JsonHttp.Answer answer) {
        JsonNode json = answer.json();
        if (answer.status() != 200) {
            return Classification.classify(error(answer, json));
        }
        if (!json.isObject()) {
            return Classification.classify(ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "not JSON: " + abbreviate(answer.body())));
        }
        String blockReason = json.path("promptFeedback").path("blockReason").asText("");
        if (!blockReason.isEmpty()) {
            return Classification.classify(ProviderError.of(PROVIDER, 200, "blockReason:" + blockReason,
                    "the prompt was blocked (" + blockReason + ")"));
        }
        List<GeneratedImage> images = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        String finishReason = "";
        for (JsonNode candidate : json.path("candidates")) {
            if (finishReason.isEmpty() || !"STOP".equals(candidate.path("finishReason").asText("STOP"))) {
                finishReason = candidate.path("finishReason").asText("");
            }
            for (JsonNode part : candidate.path("content").path("parts")) {
                if (part.path("thought").asBoolean(false)) {
                    // Gemini 3 Pro thinks in interim images and text: only the final parts are the answer.
                    continue;
                }
                JsonNode inline = part.has("inlineData") ? part.get("inlineData") : part.path("inline_data");
                if (inline.hasNonNull("data")) {
                    String mime = inline.has("mimeType") ? inline.path("mimeType").asText() : inline.path("mime_type").asText("image/png");
                    Optional<byte[]> bytes = JsonHttp.bytes(inline.get("data"));
                    if (bytes.isEmpty()) {
                        return Classification.classify(ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "inlineData.data is not base64"));
                    }
                    images.add(new GeneratedImage(bytes.get(), normalise(mime)));
                } else if (part.hasNonNull("text")) {
                    texts.add(part.get("text").asText());
                }
            }
        }
        if (!images.isEmpty()) {
            return new ProviderOutcome.Generated(images, usage(json.path("usageMetadata")));
        }
        if (!finishReason.isEmpty() && !"STOP".equals(finishReason)) {
            return Classification.classify(ProviderError.of(PROVIDER, 200, "finishReason:" + finishReason,
                    "no image (" + finishReason + ")" + (texts.isEmpty() ? "" : ": " + abbreviate(String.join(" ", texts)))));
        }
        if (!json.has("candidates")) {
            return Classification.classify(ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "no candidates: " + abbreviate(answer.body())));
        }
        return Classification.classify(ProviderError.of(PROVIDER, 200, "NO_IMAGE_PART",
                "the model answered with text only: " + abbreviate(String.join(" ", texts))));
    }

    /**
     * {@code {"error": {"code", "message", "status", "details": [QuotaFailure, RetryInfo, …]}}}. A 429's QuotaFailure
     * names each violated quota ({@code quotaId}) and states its limit ({@code quotaValue}): both go to the ledger.
     */
    static ProviderError error(JsonHttp.Answer answer, JsonNode json) {
        JsonNode error = json.path("error");
        String status = error.path("status").asText("HTTP_" + answer.status());
        String message = error.path("message").asText(abbreviate(answer.body()));
        Optional<java.time.Duration> retryAfter = Optional.empty();
        Optional<String> quotaId = Optional.empty();
        Set<Dimension> named = EnumSet.noneOf(Dimension.class);
        Map<Dimension, StatedLimit> stated = new EnumMap<>(Dimension.class);
        for (JsonNode detail : error.path("details")) {
            String type = detail.path("@type").asText("");
            if (type.endsWith("google.rpc.ErrorInfo") && detail.path("reason").asText("").equals("API_KEY_INVALID")) {
                // Gemini answers a bad key with 400 INVALID_ARGUMENT; the reason tells it from a bad request.
                status = "API_KEY_INVALID";
            } else if (type.endsWith("google.rpc.RetryInfo")) {
                retryAfter = JsonHttp.seconds(detail.path("retryDelay").asText(null));
            } else if (type.endsWith("google.rpc.QuotaFailure")) {
                // Several violations: a per-day one decides, since it outlasts any per-minute one.
                for (JsonNode violation : detail.path("violations")) {
                    String id = violation.path("quotaId").asText("");
                    if (!id.isEmpty() && (quotaId.isEmpty() || id.contains("PerDay"))) {
                        quotaId = Optional.of(id);
                    }
                    Optional<Dimension> dimension = dimension(id);
                    dimension.ifPresent(named::add);
                    Optional<Integer> value = quotaValue(violation.path("quotaValue"));
                    if (dimension.isPresent() && value.isPresent()) {
                        stated.put(dimension.get(), StatedLimit.of(value.get(), "quotaValue of " + id));
                    }
                }
            }
        }
        if (retryAfter.isEmpty()) {
            retryAfter = answer.retryAfter().flatMap(JsonHttp::seconds);
        }
        return new ProviderError(PROVIDER, answer.status(), status, message, retryAfter, quotaId, named, new StatedLimits(stated));
    }

    /**
     * Which of pacer's limits a quota id is: {@code GenerateRequestsPerMinutePerProjectPerModel} is rpm,
     * {@code GenerateRequestsPerDayPerProjectPerModel} rpd, {@code …InputTokensPerModelPerMinute} tpm, an images quota
     * ipm. Per-day token quotas have no limit of pacer's own (the per-day flag still waits for the day).
     */
    static Optional<Dimension> dimension(String quotaId) {
        boolean tokens = quotaId.contains("Token");
        if (quotaId.contains("PerDay")) {
            return tokens ? Optional.empty() : Optional.of(Dimension.RPD);
        }
        if (!quotaId.contains("PerMinute")) {
            return Optional.empty();
        }
        if (tokens) {
            return Optional.of(Dimension.TPM);
        }
        return Optional.of(quotaId.contains("Image") ? Dimension.IPM : Dimension.RPM);
    }

    /** {@code "20"} (Google's int64 JSON is a string) or 20; empty for anything else. */
    private static Optional<Integer> quotaValue(JsonNode value) {
        try {
            long limit = value.isNumber() ? value.asLong() : Long.parseLong(value.asText("").strip());
            return limit >= 1 ? Optional.of((int) Math.min(Integer.MAX_VALUE, limit)) : Optional.empty();
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    private static Usage usage(JsonNode metadata) {
        long input = metadata.path("promptTokenCount").asLong(0);
        long output = metadata.path("candidatesTokenCount").asLong(0);
        return new Usage(input, output, metadata.path("totalTokenCount").asLong(input + output));
    }

    private static String normalise(String mime) {
        return "image/jpg".equalsIgnoreCase(mime) ? "image/jpeg" : mime.toLowerCase();
    }
}
