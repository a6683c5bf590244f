package dev.pacer.providers.bedrock;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.fake.FakeProviderServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static dev.pacer.providers.ClassifiedCase.assertOutcome;
import static dev.pacer.providers.ClassifiedCase.outcomeClass;
import static dev.pacer.providers.http.JsonHttp.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NovaCanvasImageProviderTest {

    private static final String MODEL = "amazon.nova-canvas-v1:0";
    private static FakeProviderServer fake;
    private static ProviderAccount account;
    private static NovaCanvasImageProvider provider;

    @BeforeAll
    static void startFake() {
        fake = FakeProviderServer.start();
        account = new ProviderAccount("aws-us-east-1", "bedrock", fake.baseUrl(), "");
        provider = new NovaCanvasImageProvider(a -> BedrockRuntimeClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(a.baseUrl())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build(), ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2)), "standard", TestCatalog.standard());
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @Test
    void invokesTextImageWithTheSizeAndCountAndReturnsEveryImage() throws IOException {
        var generated = assertInstanceOf(ProviderOutcome.Generated.class,
                provider.generate(new GenerationRequest("two foxes [case:success]", MODEL, Resolution.TWO_K, "16:9", 2, Map.of()), account));

        assertEquals(2, generated.images().size());
        assertEquals("image/png", generated.images().get(0).contentType());
        var sent = fake.receivedWith("two foxes").get(0);
        assertEquals("/model/" + MODEL + "/invoke", URLDecoder.decode(sent.path(), StandardCharsets.UTF_8));
        assertEquals(JSON.readTree("""
                {"taskType":"TEXT_IMAGE","textToImageParams":{"text":"two foxes [case:success]"},
                 "imageGenerationConfig":{"numberOfImages":2,"width":2048,"height":1152,"quality":"standard"}}"""),
                JSON.readTree(sent.body()));
    }

    @Test
    void sizesAreMultiplesOfSixteen() {
        assertArrayEquals(new int[] {1360, 2048}, NovaCanvasImageProvider.pixels(Resolution.TWO_K, "2:3"));
        assertArrayEquals(new int[] {1024, 768}, NovaCanvasImageProvider.pixels(Resolution.ONE_K, "4:3"));
    }

    @Test
    void keepsTheImagesThatPassedWhenSomeWereFilteredAndRefusesTheRest() {
        var partial = assertInstanceOf(ProviderOutcome.Partial.class,
                provider.generate(new GenerationRequest("a fox [case:some-blocked]", MODEL, Resolution.ONE_K, "1:1", 2, Map.of()), account));
        assertEquals(1, partial.generated().images().size());
        assertOutcome(ProviderOutcome.Refused.class, "safety_block", partial.failure());
        assertEquals("bedrock 200 ContentFiltered: the provider's safety filters blocked the prompt or the image", partial.failure().message(),
                "a fixed text; what Bedrock said (\"Some of the generated images have been blocked\") is logged");
    }

    /** The SDK's attempt timeout already covers the whole answer; this keeps it so. */
    @Test
    void anAnswerThatTricklesInAfterItsHeadersIsCutOffAtTheTimeoutAsPossiblyBilled() {
        long started = System.nanoTime();
        ProviderOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                provider.generate(new GenerationRequest("slow foxes [case:trickle]", MODEL, Resolution.ONE_K, "1:1", 1, Map.of()), account));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertOutcome(ProviderOutcome.Ambiguous.class, "provider_timeout", outcome);
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "cut off at the 2 s timeout, not when the fake stops after 60 s: " + took);
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource({
            "all-blocked,                              Refused,     safety_block",
            "400-ValidationException-prompt-blocked,   Refused,     safety_block",
            "400-ValidationException-size,             Refused,     invalid_request",
            "403-AccessDeniedException,                Refused,     provider_auth",
            "429-ThrottlingException,                  RateLimited, rate_limited",
            "503-ServiceUnavailableException,          RetryLater,  provider_unavailable",
            "404-ResourceNotFoundException,            Refused,     model_not_found",
            "408-ModelTimeoutException,                RetryLater,  provider_deadline_exceeded",
            "424-ModelErrorException,                  Refused,     provider_rejected",
            "429-TooManyRequestsException,             RateLimited, rate_limited",
            "not-json,                                 RetryLater,  provider_bad_answer",
            "hang,                                     Ambiguous,   provider_timeout"})
    void classifiesEachAnswer(String answer, String kind, String type) throws ClassNotFoundException {
        assertOutcome(outcomeClass(kind), type, provider.generate(
                new GenerationRequest("a fox [case:" + answer + "]", MODEL, Resolution.ONE_K, "1:1", 1, Map.of()), account));
    }

    @Test
    void providerAccountNeverPrintsItsKey() {
        assertEquals(false, new ProviderAccount("a", "gemini", URI.create("http://x"), "secret-key").toString().contains("secret-key"));
    }
}
