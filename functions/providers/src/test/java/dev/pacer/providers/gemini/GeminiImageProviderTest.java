package dev.pacer.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.catalog.CatalogEntries;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.StatedLimit;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.fake.FakeProviderServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.pacer.providers.ClassifiedCase.assertOutcome;
import static dev.pacer.providers.ClassifiedCase.outcomeClass;
import static dev.pacer.providers.http.JsonHttp.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiImageProviderTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static FakeProviderServer fake;
    private static ProviderAccount account;
    /** Timeouts shortened so a hang ends the test quickly; the connect timeout stays realistic. */
    private static final ProviderTimeouts TIMEOUTS = ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2));
    private final GeminiImageProvider provider = new GeminiImageProvider(TIMEOUTS, TestCatalog.standard());

    @BeforeAll
    static void startFake() {
        fake = FakeProviderServer.start();
        account = new ProviderAccount("project-a", "gemini", URI.create(fake.baseUrl() + "/"), "test-gemini-key");
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @Test
    void sendsTheDocumentedRequestAndReturnsTheImageWithItsUsage() throws IOException {
        var outcome = provider.generate(request("a red fox [case:success]", "gemini-3.1-flash-image", Resolution.TWO_K, "16:9", 1), account);

        var generated = assertInstanceOf(ProviderOutcome.Generated.class, outcome);
        assertEquals(1, generated.images().size());
        assertEquals("image/png", generated.images().get(0).contentType());
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(generated.images().get(0).bytes(), 8));
        assertEquals(new Usage(11, 1295, 1306), generated.usage());

        var sent = fake.receivedWith("a red fox").get(0);
        assertEquals("POST", sent.method());
        assertEquals("/v1beta/models/gemini-3.1-flash-image:generateContent", sent.path());
        assertEquals("test-gemini-key", sent.header("x-goog-api-key"));
        assertEquals(JSON.readTree("""
                {"contents":[{"role":"user","parts":[{"text":"a red fox [case:success]"}]}],
                 "generationConfig":{"responseModalities":["IMAGE"],"imageConfig":{"aspectRatio":"16:9","imageSize":"2K"}}}"""),
                JSON.readTree(sent.body()));
    }

    @ParameterizedTest(name = "{0} {1} → imageSize {2}")
    @CsvSource({
            "gemini-3.1-flash-image, 0.5K, 512",
            "gemini-3.1-flash-image, 1K, 1K",
            "gemini-3-pro-image, 4K, 4K",
            "gemini-2.5-flash-image, 1K, ''"})
    void mapsTheResolutionToTheModelsImageSize(String model, String resolution, String imageSize) {
        JsonNode imageConfig = provider.body(request("x", model, Resolution.fromLabel(resolution).orElseThrow(), "1:1", 1))
                .path("generationConfig").path("imageConfig");
        assertEquals(imageSize, imageConfig.path("imageSize").asText(""));
        assertEquals("1:1", imageConfig.path("aspectRatio").asText());
    }

    @Test
    void callsTheModelByTheIdTheCatalogGivesForGemini() {
        ModelSpec house = new ModelSpec("house-flash", "gemini", "gemini-3.1-flash-image",
                Map.of(Resolution.ONE_K, ModelSpec.PerImage.UNKNOWN), List.of("1:1"), false);
        var catalog = ModelCatalog.of(TestCatalog.entries().overriddenBy(new CatalogEntries(Map.of(house.id(), house), Map.of(), Map.of(),
                Optional.empty(), Map.of())));

        var outcome = new GeminiImageProvider(TIMEOUTS, catalog)
                .generate(request("a house fox [case:success]", "house-flash", Resolution.ONE_K, "1:1", 1), account);

        assertInstanceOf(ProviderOutcome.Generated.class, outcome);
        var sent = fake.receivedWith("a house fox").get(0);
        assertEquals("/v1beta/models/gemini-3.1-flash-image:generateContent", sent.path());
        assertTrue(sent.body().contains("\"imageConfig\":{\"aspectRatio\":\"1:1\"}"), sent.body());
    }

    @Test
    void skipsThoughtPartsAndKeepsTheFinalImageWithItsMediaType() {
        var generated = assertInstanceOf(ProviderOutcome.Generated.class,
                provider.generate(request("a lighthouse [case:success-with-thoughts]", "gemini-3-pro-image", Resolution.FOUR_K, "1:1", 1), account));

        assertEquals(1, generated.images().size());
        assertEquals("image/jpeg", generated.images().get(0).contentType());
        assertEquals("jpg", generated.images().get(0).fileExtension());
    }

    @Test
    void sendsOneRequestPerImageAndReturnsThemAll() {
        var generated = assertInstanceOf(ProviderOutcome.Generated.class,
                provider.generate(request("three foxes [case:success]", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 3), account));

        assertEquals(3, generated.images().size());
        assertEquals(3, fake.receivedWith("three foxes").size());
        assertEquals(new Usage(33, 3885, 3918), generated.usage());
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource({
            "text-only,                         Refused,     no_image",
            "prompt-blocked,                    Refused,     safety_block",
            "finish-image-safety,               Refused,     safety_block",
            "finish-image-prohibited-content,   Refused,     safety_block",
            "finish-safety,                     Refused,     safety_block",
            "finish-no-image,                   Refused,     no_image",
            "finish-image-other,                Refused,     no_image",
            "400-invalid-argument,              Refused,     invalid_request",
            "400-api-key-invalid,               Refused,     provider_auth",
            "400-failed-precondition,           Refused,     provider_precondition",
            "403-permission-denied,             Refused,     provider_auth",
            "404-not-found,                     Refused,     model_not_found",
            "429-per-minute,                    RateLimited, rate_limited",
            "429-per-day,                       RateLimited, rate_limited",
            "500-internal,                      RetryLater,  provider_error",
            "503-unavailable,                   RetryLater,  provider_unavailable",
            "504-deadline-exceeded,             RetryLater,  provider_deadline_exceeded",
            "not-json,                          RetryLater,  provider_bad_answer",
            "bad-base64,                        RetryLater,  provider_bad_answer",
            "302-found,                         RetryLater,  provider_error",
            "hang,                              Ambiguous,   provider_timeout",
            "drop,                              Ambiguous,   provider_connection_lost"})
    void classifiesEachAnswer(String answer, String kind, String type) throws ClassNotFoundException {
        ProviderOutcome outcome = provider.generate(request("a fox [case:" + answer + "]", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1), account);
        assertOutcome(outcomeClass(kind), type, outcome);
    }

    /** The JDK's request timeout ends at the headers: the body must be read under the call's deadline too. */
    @Test
    void anAnswerThatTricklesInAfterItsHeadersIsCutOffAtTheTimeoutAsPossiblyBilled() {
        long started = System.nanoTime();
        ProviderOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                provider.generate(request("a slow fox [case:trickle]", TestCatalog.FLASH, Resolution.ONE_K, "1:1", 1), account));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertOutcome(ProviderOutcome.Ambiguous.class, "provider_timeout", outcome);
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "cut off at the 2 s timeout, not when the fake stops after 60 s: " + took);
    }

    /** 26 MB of PNG is 35 million base64 characters: more than Jackson lets one string be when it is read as text. */
    @Test
    void aRealSizeFourKImageComesBackWhole() {
        GeminiImageProvider patient = new GeminiImageProvider(ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60)),
                TestCatalog.standard());
        var generated = assertInstanceOf(ProviderOutcome.Generated.class,
                patient.generate(request("a big fox [case:large-4k]", TestCatalog.PRO, Resolution.FOUR_K, "1:1", 1), account));

        assertEquals(1, generated.images().size());
        assertArrayEquals(FakeProviderServer.largeImage(), generated.images().get(0).bytes());
        assertEquals(new Usage(11, 2000, 2011), generated.usage());
    }

    @Test
    void aPerMinute429CarriesTheRetryDelayIsNotPerDayAndStatesTheLimitItNames() {
        var limited = assertInstanceOf(ProviderOutcome.RateLimited.class,
                provider.generate(request("a fox [case:429-per-minute]", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1), account));
        assertEquals(Optional.of(Duration.ofSeconds(27)), limited.retryAfter());
        assertFalse(limited.perDay());
        assertEquals(Optional.of("GenerateRequestsPerMinutePerProjectPerModel"), limited.quotaId());
        assertEquals(Set.of(Dimension.RPM), limited.dimensions());
        assertEquals(StatedLimit.of(20, "quotaValue of GenerateRequestsPerMinutePerProjectPerModel"),
                limited.stated().get(Dimension.RPM).orElseThrow());
    }

    @Test
    void aPerDay429IsPerDayDespiteItsShortRetryDelayAndStatesTheDaysLimit() {
        var limited = assertInstanceOf(ProviderOutcome.RateLimited.class,
                provider.generate(request("a fox [case:429-per-day]", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1), account));
        assertTrue(limited.perDay());
        assertEquals(Optional.of(Duration.ofSeconds(41)), limited.retryAfter());
        assertEquals(Optional.of("GenerateRequestsPerDayPerProjectPerModel"), limited.quotaId());
        assertEquals(250, limited.stated().get(Dimension.RPD).orElseThrow().limit());
    }

    @Test
    void aQuotaIdNamesOneOfPacersLimits() {
        assertEquals(Optional.of(Dimension.RPM), GeminiAnswers.dimension("GenerateRequestsPerMinutePerProjectPerModel"));
        assertEquals(Optional.of(Dimension.RPD), GeminiAnswers.dimension("GenerateRequestsPerDayPerProjectPerModel"));
        assertEquals(Optional.of(Dimension.TPM), GeminiAnswers.dimension("GenerateContentInputTokensPerModelPerMinute-PaidTier"));
        assertEquals(Optional.of(Dimension.IPM), GeminiAnswers.dimension("GenerateImagesPerMinutePerProjectPerModel"));
        assertEquals(Optional.empty(), GeminiAnswers.dimension("GenerateContentInputTokensPerModelPerDay"));
    }

    @Test
    void aRefusedConnectionIsRetryableBecauseNothingWasSent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProviderAccount nowhere = new ProviderAccount("project-a", "gemini", URI.create("http://127.0.0.1:" + closedPort), "k");

        assertOutcome(ProviderOutcome.RetryLater.class, "provider_unreachable",
                provider.generate(request("a fox", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1), nowhere));
    }

    @Test
    void oneBlockedImageOfSeveralKeepsTheOthersAndSaysWhyTheMissingOneIsMissing() {
        var partial = assertInstanceOf(ProviderOutcome.Partial.class, provider.generate(request(
                "three owls [cases:success,finish-image-safety,success]", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 3), account));

        assertEquals(2, partial.generated().images().size());
        assertEquals(3, fake.receivedWith("three owls").size());
        assertOutcome(ProviderOutcome.Refused.class, "safety_block", partial.failure());
        assertTrue(partial.failure().message().contains("IMAGE_SAFETY"), partial.failure()::message);
    }

    @Test
    void aRefusalOutranksAPassingFailureAmongTheMissingImages() {
        var partial = assertInstanceOf(ProviderOutcome.Partial.class, provider.generate(request(
                "three cats [cases:503-unavailable,success,finish-no-image]", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 3), account));

        assertEquals(1, partial.generated().images().size());
        assertOutcome(ProviderOutcome.Refused.class, "no_image", partial.failure());
    }

    private static GenerationRequest request(String prompt, String model, Resolution resolution, String aspectRatio, int count) {
        return new GenerationRequest(prompt, model, resolution, aspectRatio, count, Map.of());
    }
}
