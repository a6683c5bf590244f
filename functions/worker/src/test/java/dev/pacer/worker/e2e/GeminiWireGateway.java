package dev.pacer.worker.e2e;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.ProviderGateway;
import dev.pacer.core.quota.RateLimit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal Gemini client for this test only, until the real one (issue 4) is on this branch: the request shape
 * of generateContent, inlineData images out of a 200, and a 429's RetryInfo.retryDelay and PerDay quotaId.
 * The account's id is sent as its key; the fake treats each key as a project.
 */
final class GeminiWireGateway implements ProviderGateway {

    private static final Pattern INLINE_DATA = Pattern.compile("\"inlineData\"\\s*:\\s*\\{\\s*\"mimeType\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"data\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern RETRY_DELAY = Pattern.compile("\"retryDelay\"\\s*:\\s*\"([0-9.]+)s\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<ProviderOutcome, RateLimit> rateLimits = java.util.Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public ProviderOutcome generate(GenerationRequest request, Account account) {
        String body = """
                {"contents":[{"parts":[{"text":%s}]}],"generationConfig":{"responseModalities":["IMAGE"],\
                "imageConfig":{"aspectRatio":"%s","imageSize":"%s"}}}""".formatted(
                quote(request.prompt()), request.aspectRatio(), request.resolution().label());
        List<ProviderOutcome.GeneratedImage> images = new ArrayList<>();
        for (int n = 0; n < request.count(); n++) {
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(account.baseUrl() + "/v1beta/models/" + request.model() + ":generateContent"))
                        .header("x-goog-api-key", account.id())
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return new ProviderOutcome.RetryLater("provider_unreachable", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ProviderOutcome.RetryLater("interrupted", e.toString());
            }
            if (response.statusCode() == 429) {
                ProviderOutcome outcome = new ProviderOutcome.RetryLater("rate_limited", "429 RESOURCE_EXHAUSTED");
                Matcher delay = RETRY_DELAY.matcher(response.body());
                rateLimits.put(outcome, new RateLimit(
                        delay.find() ? Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(delay.group(1)) * 1000))) : Optional.empty(),
                        response.body().contains("PerDay"), "RESOURCE_EXHAUSTED"));
                return outcome;
            }
            if (response.statusCode() != 200) {
                return new ProviderOutcome.RetryLater("http_" + response.statusCode(), response.body());
            }
            Matcher image = INLINE_DATA.matcher(response.body());
            while (image.find()) {
                images.add(new ProviderOutcome.GeneratedImage(Base64.getDecoder().decode(image.group(2)), image.group(1)));
            }
        }
        return images.isEmpty() ? new ProviderOutcome.Refused("no_image", "no inlineData part") : new ProviderOutcome.Generated(images);
    }

    @Override
    public Optional<RateLimit> rateLimit(ProviderOutcome outcome) {
        return Optional.ofNullable(rateLimits.get(outcome));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
