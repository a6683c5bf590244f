package dev.pacer.providers.openai;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.CallReport;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.StatedLimit;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.fake.FakeProviderServer;
import dev.pacer.providers.http.JsonHttp;
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
import java.util.Set;

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
    void aRateLimitCarriesTheRetryAfterHeaderTheLimitItNamesAndWhatTheHeadersState() {
        var limited = assertInstanceOf(ProviderOutcome.RateLimited.class, provider.generate(
                new GenerationRequest("a fox [case:429-rate-limit]", "gpt-image-1.5", Resolution.ONE_K, "1:1", 1, Map.of()), account));
        assertEquals(Optional.of(Duration.ofSeconds(20)), limited.retryAfter());

        RateLimit rateLimit = limited.rateLimit().orElseThrow();
        assertEquals(Set.of(Dimension.IPM), rateLimit.dimensions(), "\"on images per minute (IPM)\"");
        assertEquals(250, rateLimit.stated().get(Dimension.IPM).orElseThrow().limit(), "\"Limit 250\"");
        StatedLimit requests = rateLimit.stated().get(Dimension.RPM).orElseThrow();
        assertEquals(new StatedLimit(250, Optional.of(0L), Optional.of(Duration.ofSeconds(20)), "x-ratelimit-limit-requests"), requests);
    }

    @Test
    void everyAnswerStatesTheLimitsInItsRateLimitHeaders() {
        var generated = assertInstanceOf(ProviderOutcome.Generated.class, provider.generate(
                new GenerationRequest("a fox [case:success]", "gpt-image-1", Resolution.ONE_K, "1:1", 2, Map.of()), account));

        CallReport report = generated.quotaReport();
        assertEquals(Optional.of(12400L), report.tokensSpent(), "the usage corrects the reservation's estimate");
        assertEquals(new StatedLimit(250, Optional.of(249L), Optional.of(Duration.ofMillis(240)), "x-ratelimit-limit-requests"),
                report.stated().get(Dimension.RPM).orElseThrow());
        assertEquals(new StatedLimit(8_000_000, Optional.of(7_987_600L), Optional.of(Duration.ofMillis(93)), "x-ratelimit-limit-tokens"),
                report.stated().get(Dimension.TPM).orElseThrow());
    }

    @Test
    void readsGoDurationsAsTheResetHeadersGiveThem() {
        assertEquals(Optional.of(Duration.ofSeconds(1)), JsonHttp.goDuration("1s"));
        assertEquals(Optional.of(Duration.ofMinutes(6)), JsonHttp.goDuration("6m0s"));
        assertEquals(Optional.of(Duration.ofMillis(774)), JsonHttp.goDuration("774ms"));
        assertEquals(Optional.of(Duration.ofMillis(3_723_500)), JsonHttp.goDuration("1h2m3.5s"));
        assertEquals(Optional.empty(), JsonHttp.goDuration("soon"));
        assertEquals(Optional.empty(), JsonHttp.goDuration("12"));
    }

    @Test
    void mapsTheAspectRatioToASize() {
        assertEquals("1024x1024", OpenAiRequests.size("1:1"));
        assertEquals("1024x1536", OpenAiRequests.size("2:3"));
    }
}
