package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * OpenAI's GPT Image models through {@code POST {base}/v1/images/generations}: all of a job's images
 * in one request ({@code n}), base64 in {@code data[].b64_json}, token {@code usage} recorded.
 */
public final class OpenAiImageProvider implements ProviderAdapter {

    static final String PROVIDER = "openai";

    private final JsonHttp http;
    private final ProviderTimeouts timeouts;
    private final String quality;
    private final String outputFormat;
    private final ModelCatalog catalog;
    private final InputImages inputs;

    /** A provider for prompts only: an edit's reference images cannot be read. */
    public OpenAiImageProvider(ProviderTimeouts timeouts, String quality, String outputFormat, ModelCatalog catalog) {
        this(timeouts, quality, outputFormat, catalog, NoInputImages.INSTANCE);
    }

    /**
     * @param quality      {@code low}, {@code medium}, {@code high} or {@code auto}
     * @param outputFormat {@code png}, {@code jpeg} or {@code webp}
     * @param catalog      what each model is called at OpenAI, and whether its edits take {@code input_fidelity}
     * @param inputs       where an edit's reference images are read, streamed into the multipart request
     */
    public OpenAiImageProvider(ProviderTimeouts timeouts, String quality, String outputFormat, ModelCatalog catalog, InputImages inputs) {
        this.http = new JsonHttp(PROVIDER, timeouts, Set.of("b64_json"));
        this.timeouts = timeouts;
        this.quality = quality;
        this.outputFormat = outputFormat;
        this.catalog = catalog;
        this.inputs = inputs;
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, ProviderAccount account) {
        String base = JsonHttp.trimSlash(account.baseUrl());
        Map<String, String> headers = Map.of("Authorization", "Bearer " + account.apiKey());
        Duration timeout = timeouts.forResolution(request.resolution());
        JsonHttp.Result result;
        if (request.isEdit()) {
            String boundary = "pacer-" + UUID.randomUUID();
            result = http.post(URI.create(base + "/v1/images/edits"), headers, editBody(request, boundary),
                    "multipart/form-data; boundary=" + boundary, timeout).join();
        } else {
            result = http.post(URI.create(base + "/v1/images/generations"), headers, body(request), timeout).join();
        }
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

    /**
     * An edit, {@code POST /v1/images/edits} as multipart/form-data: the text fields, then one {@code image[]} part per
     * reference image in the submission's order, then the {@code mask} (applied to the first image). Each file is
     * streamed from S3 as it is sent. {@code input_fidelity=high} keeps faces and details of the inputs, where the
     * model takes it (the catalog says which: the mini model does not).
     */
    StreamedBody editBody(GenerationRequest request, String boundary) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("model", catalog.find(request.model()).map(ModelSpec::providerModel).orElse(request.model()));
        fields.put("prompt", request.prompt());
        fields.put("n", Integer.toString(request.count()));
        fields.put("size", size(request.aspectRatio()));
        fields.put("quality", quality);
        fields.put("output_format", outputFormat);
        if (catalog.find(request.model()).map(model -> model.inputs().takesInputFidelity()).orElse(false)) {
            fields.put("input_fidelity", "high");
        }
        StreamedBody body = new StreamedBody();
        fields.forEach((name, value) -> body.text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n"));
        for (int i = 0; i < request.inputs().size(); i++) {
            file(body, boundary, "image[]", "image-" + i, request.inputs().get(i));
        }
        request.mask().ifPresent(mask -> file(body, boundary, "mask", "mask", mask));
        return body.text("--" + boundary + "--\r\n");
    }

    private void file(StreamedBody body, String boundary, String field, String name, InputImage image) {
        body.text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + name + "." + image.extension()
                + "\"\r\nContent-Type: " + image.contentType() + "\r\n\r\n");
        body.raw(() -> inputs.open(image.key()), image.bytes());
        body.text("\r\n");
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
            return Classification.classify(new ProviderError(PROVIDER, answer.status(), code,
                    error.path("message").asText(answer.body()), retryAfter, Optional.empty()));
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
}
