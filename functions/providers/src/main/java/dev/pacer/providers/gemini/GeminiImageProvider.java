package dev.pacer.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.providers.Classification;
import dev.pacer.providers.NoInputImages;
import dev.pacer.providers.Outcomes;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderAdapter;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.http.JsonHttp;
import dev.pacer.providers.http.StreamedBody;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Gemini image models through {@code POST {base}/v1beta/models/{model}:generateContent}. One request
 * makes one image, so a job of n images sends n requests, side by side (one after the other, four 4K
 * images would outlast the worker's timeout). Images are every {@code inlineData} part of every
 * candidate; blocks come as {@code promptFeedback.blockReason} or a {@code finishReason} in a 200.
 */
public final class GeminiImageProvider implements ProviderAdapter {

    static final String PROVIDER = GeminiAnswers.PROVIDER;

    private final JsonHttp http;
    private final ProviderTimeouts timeouts;
    private final GeminiRequests requests;
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
        this.requests = new GeminiRequests(catalog);
        this.inputs = inputs;
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, ProviderAccount account) {
        String model = requests.providerModel(request.model());
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
        return result.answer().map(GeminiAnswers::outcome).orElseGet(() -> Classification.classify(result.failure().orElseThrow()));
    }

    JsonNode body(GenerationRequest request) {
        return requests.body(request);
    }

    /** An edit: {@link GeminiRequests#streamed}, its images' base64 streamed from S3. */
    StreamedBody editBody(GenerationRequest request) {
        return requests.streamed(request, inputs);
    }
}
