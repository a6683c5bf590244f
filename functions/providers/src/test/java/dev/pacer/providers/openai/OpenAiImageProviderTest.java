package dev.pacer.providers.openai;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.fake.FakeProviderServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.providers.ClassifiedCase.assertOutcome;
import static dev.pacer.providers.ClassifiedCase.outcomeClass;
import static dev.pacer.providers.http.JsonHttp.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiImageProviderTest {

    private static FakeProviderServer fake;
    private static ProviderAccount account;
    private final OpenAiImageProvider provider = new OpenAiImageProvider(
            ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2)), "high", "png", TestCatalog.standard());

    @BeforeAll
    static void startFake() {
        fake = FakeProviderServer.start();
        account = new ProviderAccount("org-a", "openai", fake.baseUrl(), "sk-test");
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @Test
    void asksForAllImagesInOneRequestAndRecordsTheUsage() throws IOException {
        var generated = assertInstanceOf(ProviderOutcome.Generated.class,
                provider.generate(new GenerationRequest("two foxes [case:success]", "gpt-image-1.5", Resolution.ONE_K, "3:2", 2, Map.of()), account));

        assertEquals(2, generated.images().size());
        assertEquals("image/png", generated.images().get(0).contentType());
        assertEquals(new Usage(16, 12384, 12400), generated.usage());
        var sent = fake.receivedWith("two foxes").get(0);
        assertEquals("/v1/images/generations", sent.path());
        assertEquals("Bearer sk-test", sent.header("Authorization"));
        assertEquals(JSON.readTree("""
                {"model":"gpt-image-1.5","prompt":"two foxes [case:success]","n":2,"size":"1536x1024","quality":"high","output_format":"png"}"""),
                JSON.readTree(sent.body()));
    }

    @Test
    void theAnswersOutputFormatSetsTheMediaType() {
        var webp = new OpenAiImageProvider(ProviderTimeouts.standard(), "low", "webp", TestCatalog.standard());
        var generated = assertInstanceOf(ProviderOutcome.Generated.class,
                webp.generate(new GenerationRequest("a fox [case:success-webp]", "gpt-image-1.5", Resolution.ONE_K, "1:1", 1, Map.of()), account));
        assertEquals("image/webp", generated.images().get(0).contentType());
        assertEquals("webp", generated.images().get(0).fileExtension());
    }

    @Test
    void anAnswerThatTricklesInAfterItsHeadersIsCutOffAtTheTimeoutAsPossiblyBilled() {
        long started = System.nanoTime();
        ProviderOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                provider.generate(new GenerationRequest("slow foxes [case:trickle]", "gpt-image-1.5", Resolution.ONE_K, "1:1", 2, Map.of()), account));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertOutcome(ProviderOutcome.Ambiguous.class, "provider_timeout", outcome);
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "cut off at the 2 s timeout, not when the fake stops after 60 s: " + took);
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource({
            "400-moderation-blocked,          Refused,     safety_block",
            "400-invalid-size,                Refused,     invalid_request",
            "401-invalid-api-key,             Refused,     provider_auth",
            "403-organization-not-verified,   Refused,     provider_auth",
            "429-rate-limit,                  RateLimited, rate_limited",
            "429-insufficient-quota,          Refused,     quota_exhausted",
            "500-server-error,                RetryLater,  provider_error",
            "503-overloaded,                  RetryLater,  provider_unavailable",
            "404-model-not-found,             Refused,     model_not_found",
            "504-gateway-timeout,             RetryLater,  provider_deadline_exceeded",
            "no-data,                         RetryLater,  provider_bad_answer",
            "hang,                            Ambiguous,   provider_timeout"})
    void classifiesEachAnswer(String answer, String kind, String type) throws ClassNotFoundException {
        assertOutcome(outcomeClass(kind), type, provider.generate(
                new GenerationRequest("a fox [case:" + answer + "]", "gpt-image-1.5", Resolution.ONE_K, "1:1", 1, Map.of()), account));
    }

    @Test
    void aRateLimitCarriesTheRetryAfterHeader() {
        var limited = assertInstanceOf(ProviderOutcome.RateLimited.class, provider.generate(
                new GenerationRequest("a fox [case:429-rate-limit]", "gpt-image-1.5", Resolution.ONE_K, "1:1", 1, Map.of()), account));
        assertEquals(Optional.of(Duration.ofSeconds(20)), limited.retryAfter());
    }

    @Test
    void mapsTheAspectRatioToASize() {
        assertEquals("1024x1024", OpenAiRequests.size("1:1"));
        assertEquals("1024x1536", OpenAiRequests.size("2:3"));
    }
}
