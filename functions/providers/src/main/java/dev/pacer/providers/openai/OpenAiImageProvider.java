package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.providers.Classification;
import dev.pacer.providers.NoInputImages;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderAdapter;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.http.JsonHttp;
import dev.pacer.providers.http.StreamedBody;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * OpenAI's GPT Image models through {@code POST {base}/v1/images/generations}: all of a job's images
 * in one request ({@code n}), base64 in {@code data[].b64_json}, token {@code usage} recorded. Every answer's
 * {@code x-ratelimit-*} headers, and a 429's "on images per minute (IPM): Limit 5", go to the quota ledger.
 */
public final class OpenAiImageProvider implements ProviderAdapter {

    static final String PROVIDER = OpenAiAnswers.PROVIDER;

    private final JsonHttp http;
    private final ProviderTimeouts timeouts;
    private final OpenAiRequests requests;
    private final OpenAiAnswers answers;
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
        this.requests = new OpenAiRequests(quality, outputFormat, catalog);
        this.answers = new OpenAiAnswers(outputFormat);
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
        return result.answer().map(answer -> answers.outcome(answer, request.count()))
                .orElseGet(() -> Classification.classify(result.failure().orElseThrow()));
    }

    JsonNode body(GenerationRequest request) {
        return requests.body(request);
    }

    /**
     * An edit, {@code POST /v1/images/edits} as multipart/form-data: the same fields as a generation (model, prompt,
     * n, size, quality, output_format), then one {@code image[]} part per reference image in the submission's order,
     * then the {@code mask} (applied to the first image). Each file is streamed from S3 as it is sent.
     * {@code input_fidelity=high} keeps faces and details of the inputs, where the model takes it (the catalog says
     * which: the mini model does not).
     */
    StreamedBody editBody(GenerationRequest request, String boundary) {
        Map<String, String> fields = new LinkedHashMap<>();
        requests.body(request).fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
        if (requests.takesInputFidelity(request)) {
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
}
