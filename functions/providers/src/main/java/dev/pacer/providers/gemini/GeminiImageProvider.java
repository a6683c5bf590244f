package dev.pacer.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.providers.Classification;
import dev.pacer.providers.NoInputImages;
import dev.pacer.providers.Outcomes;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderAdapter;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.http.JsonHttp;
import dev.pacer.providers.http.StreamedBody;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static dev.pacer.providers.http.JsonHttp.JSON;
import static dev.pacer.providers.http.JsonHttp.abbreviate;

/**
 * Gemini image models through {@code POST {base}/v1beta/models/{model}:generateContent}. One request
 * makes one image, so a job of n images sends n requests, side by side (one after the other, four 4K
 * images would outlast the worker's timeout). Images are every {@code inlineData} part of every
 * candidate; blocks come as {@code promptFeedback.blockReason} or a {@code finishReason} in a 200.
 */
public final class GeminiImageProvider implements ProviderAdapter {

    static final String PROVIDER = "gemini";

    private final JsonHttp http;
    private final ProviderTimeouts timeouts;
    private final ModelCatalog catalog;
    private final InputImages inputs;

    /** A provider for prompts only: an edit's reference images cannot be read. */
    public GeminiImageProvider(ProviderTimeouts timeouts, ModelCatalog catalog) {
        this(timeouts, catalog, NoInputImages.INSTANCE);
    }

    /**
     * @param catalog what each model is called at Gemini and whether it takes an {@code imageSize}
     * @param inputs  where an edit's reference images are read, streamed into each request as base64
     */
    public GeminiImageProvider(ProviderTimeouts timeouts, ModelCatalog catalog, InputImages inputs) {
        this.http = new JsonHttp(PROVIDER, timeouts, Set.of("data"));
        this.timeouts = timeouts;
        this.catalog = catalog;
        this.inputs = inputs;
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, ProviderAccount account) {
        String model = catalog.find(request.model()).map(ModelSpec::providerModel).orElse(request.model());
        URI uri = URI.create(JsonHttp.trimSlash(account.baseUrl()) + "/v1beta/models/" + model + ":generateContent");
        JsonNode body = body(request);
        Map<String, String> headers = Map.of("x-goog-api-key", account.apiKey());
        List<CompletableFuture<JsonHttp.Result>> calls = new ArrayList<>();
        for (int n = 0; n < request.count(); n++) {
            calls.add(request.isEdit()
                    ? http.post(uri, headers, editBody(request), "application/json", timeouts.forResolution(request.resolution()))
                    : http.post(uri, headers, body, timeouts.forResolution(request.resolution())));
        }
        // read on the calling thread, whose log lines name the job
        return Outcomes.combine(calls.stream().map(GeminiImageProvider::outcome).toList());
    }

    /** One request's outcome; one request running out of memory while reading its image must not lose the others' images. */
    private static ProviderOutcome outcome(CompletableFuture<JsonHttp.Result> call) {
        JsonHttp.Result result;
        try {
            result = call.join();
        } catch (CompletionException thrown) {
            return Outcomes.errorDuringCall(PROVIDER, thrown).orElseThrow(() -> thrown);
        }
        return result.answer().map(GeminiImageProvider::outcome).orElseGet(() -> Classification.classify(result.failure().orElseThrow()));
    }

    JsonNode body(GenerationRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("contents").addObject()
                .put("role", "user")
                .putArray("parts").addObject().put("text", request.prompt());
        ObjectNode config = body.putObject("generationConfig");
        config.putArray("responseModalities").add("IMAGE");
        ObjectNode imageConfig = config.putObject("imageConfig").put("aspectRatio", request.aspectRatio());
        // A model that makes one size only (2.5 Flash Image) takes no imageSize: the catalog says which.
        if (catalog.find(request.model()).map(ModelSpec::takesImageSize).orElse(true)) {
            imageConfig.put("imageSize", imageSize(request.resolution()));
        }
        return body;
    }

    /**
     * An edit: the reference images as {@code inlineData} parts, in the order the submission named them, then the text
     * part, as Google's prompting guidance has it (images before the instruction about them). The body is the JSON of
     * {@link #body} with each image's base64 streamed from S3 where its {@code data} goes: never the whole image, or its
     * text, in memory.
     */
    StreamedBody editBody(GenerationRequest request) {
        ObjectNode body = (ObjectNode) body(request);
        ArrayNode parts = (ArrayNode) body.path("contents").path(0).path("parts");
        String marker = "pacer-input-" + UUID.randomUUID() + "-";
        for (int i = 0; i < request.inputs().size(); i++) {
            parts.insert(i, JSON.createObjectNode().set("inlineData", JSON.createObjectNode()
                    .put("mimeType", request.inputs().get(i).contentType())
                    .put("data", marker + i)));
        }
        String json = body.toString();
        StreamedBody streamed = new StreamedBody();
        int at = 0;
        for (int i = 0; i < request.inputs().size(); i++) {
            InputImage image = request.inputs().get(i);
            int placeholder = json.indexOf(marker + i, at);
            streamed.text(json.substring(at, placeholder)).base64(() -> inputs.open(image.key()), image.bytes());
            at = placeholder + (marker + i).length();
        }
        return streamed.text(json.substring(at));
    }

    /**
     * Gemini's {@code imageSize}: upper-case "1K"/"2K"/"4K", "512" for 0.5K (Google's image-generation guide says
     * Gemini 3 image models "can also output 2K, 4K, and 512 (0.5K) images"). The catalog refuses at intake what a
     * model cannot make.
     */
    static String imageSize(Resolution resolution) {
        return resolution == Resolution.HALF_K ? "512" : resolution.label().toUpperCase();
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

    /** {@code {"error": {"code", "message", "status", "details": [QuotaFailure, RetryInfo, …]}}}. */
    private static ProviderError error(JsonHttp.Answer answer, JsonNode json) {
        JsonNode error = json.path("error");
        String status = error.path("status").asText("HTTP_" + answer.status());
        String message = error.path("message").asText(abbreviate(answer.body()));
        Optional<java.time.Duration> retryAfter = Optional.empty();
        Optional<String> quotaId = Optional.empty();
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
                }
            }
        }
        if (retryAfter.isEmpty()) {
            retryAfter = answer.retryAfter().flatMap(JsonHttp::seconds);
        }
        return new ProviderError(PROVIDER, answer.status(), status, message, retryAfter, quotaId);
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
