package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.providers.Classification;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderAdapter;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.http.JsonHttp;

import java.net.URI;
import java.util.Map;
import java.util.Set;

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

    /**
     * @param quality      {@code low}, {@code medium}, {@code high} or {@code auto}
     * @param outputFormat {@code png}, {@code jpeg} or {@code webp}
     * @param catalog      what each model is called at OpenAI
     */
    public OpenAiImageProvider(ProviderTimeouts timeouts, String quality, String outputFormat, ModelCatalog catalog) {
        this.http = new JsonHttp(PROVIDER, timeouts, Set.of("b64_json"));
        this.timeouts = timeouts;
        this.requests = new OpenAiRequests(quality, outputFormat, catalog);
        this.answers = new OpenAiAnswers(outputFormat);
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, ProviderAccount account) {
        URI uri = URI.create(JsonHttp.trimSlash(account.baseUrl()) + "/v1/images/generations");
        JsonHttp.Result result = http.post(uri, Map.of("Authorization", "Bearer " + account.apiKey()), body(request),
                timeouts.forResolution(request.resolution())).join();
        return result.answer().map(answer -> answers.outcome(answer, request.count()))
                .orElseGet(() -> Classification.classify(result.failure().orElseThrow()));
    }

    JsonNode body(GenerationRequest request) {
        return requests.body(request);
    }
}
