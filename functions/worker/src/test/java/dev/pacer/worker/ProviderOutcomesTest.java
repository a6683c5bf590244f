package dev.pacer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Shortfall;
import dev.pacer.core.job.StoredImage;
import dev.pacer.providers.Classification;
import dev.pacer.providers.ProviderError;
import dev.pacer.testsupport.ConsoleLogCapture;
import dev.pacer.testsupport.EmfCapture;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.pacer.testsupport.EventFixtures.event;
import static dev.pacer.worker.WorkerTestData.jobs;
import static dev.pacer.worker.WorkerTestData.queuedJob;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job per row of the classification table, run by the worker against the fake provider server answering
 * with the provider's exact JSON (Gemini and OpenAI over HTTP, Bedrock through the SDK client): the job's final
 * status, error type, the attempt log and the number of provider calls. {@link #ROW_CASES} must name every row
 * ({@link #everyRowOfTheClassificationHasAWorkerCase}). Then jobs of several images of which only some came back.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeProvidersTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderOutcomesTest {

    private static final String GEMINI = "gemini-3.1-flash-image";
    /** Served by two projects, one per rate-limit case (a 429 cools its account down). */
    private static final String GEMINI_PRO = "gemini-3-pro-image";
    /** Served only by a project on a port nothing listens on. */
    private static final String GEMINI_UNREACHABLE = "gemini-2.5-flash-image";
    private static final String OPENAI = "gpt-image-1.5";
    /** Served by two AWS accounts, one per rate-limit case. */
    private static final String NOVA = "amazon.nova-canvas-v1:0";
    private static final int MAX_ATTEMPTS = 3;
    /** Not an answer of the fake: the job is an edit whose input is not in the bucket. */
    private static final String INPUT_MISSING = "input-missing";
    private static final int AMBIGUOUS_CALLS = 2;

    /**
     * A job whose one call gets {@code answer} from the fake (a {@code [case:…]} name; none: the account's own
     * trouble), and the error that answer is to the classification, as provider, HTTP status (0: no answer) and
     * code: the row it must reach.
     */
    record RowCase(String model, String answer, String provider, int status, String code) {
        Classification.Row row() {
            return Classification.rowFor(ProviderError.of(provider, status, code, ""));
        }

        /** How the job's error names it: {@code gemini 503 UNAVAILABLE}, {@code gemini CONNECT_FAILED}. */
        String named() {
            return provider + (status == 0 ? "" : " " + status) + " " + code;
        }

        @Override
        public String toString() {
            return model + " " + (answer.isEmpty() ? "(no answer)" : answer) + " → " + row().kind() + " " + row().type();
        }
    }

    static final List<RowCase> ROW_CASES = List.of(
            // no answer, or no usable one
            new RowCase(GEMINI_UNREACHABLE, "", "gemini", 0, "CONNECT_FAILED"),
            new RowCase(GEMINI, "hang", "gemini", 0, "TIMEOUT_AFTER_SEND"),
            new RowCase(GEMINI, "drop", "gemini", 0, "CONNECTION_LOST"),
            new RowCase(GEMINI, "not-json", "gemini", 200, "MALFORMED_ANSWER"),
            new RowCase(GEMINI, "bad-base64", "gemini", 200, "MALFORMED_ANSWER"),
            new RowCase(OPENAI, "no-data", "openai", 200, "MALFORMED_ANSWER"),
            new RowCase(NOVA, "not-json", "bedrock", 200, "MALFORMED_ANSWER"),
            // an edit whose input is gone from the bucket: the request is cut short before the provider has it
            new RowCase(GEMINI, INPUT_MISSING, "gemini", 0, "INPUT_UNREADABLE"),
            // Gemini
            new RowCase(GEMINI, "prompt-blocked", "gemini", 200, "blockReason:PROHIBITED_CONTENT"),
            new RowCase(GEMINI, "finish-image-safety", "gemini", 200, "finishReason:IMAGE_SAFETY"),
            new RowCase(GEMINI, "finish-image-prohibited-content", "gemini", 200, "finishReason:IMAGE_PROHIBITED_CONTENT"),
            new RowCase(GEMINI, "finish-safety", "gemini", 200, "finishReason:SAFETY"),
            new RowCase(GEMINI, "finish-no-image", "gemini", 200, "finishReason:NO_IMAGE"),
            new RowCase(GEMINI, "finish-image-other", "gemini", 200, "finishReason:IMAGE_OTHER"),
            new RowCase(GEMINI, "text-only", "gemini", 200, "NO_IMAGE_PART"),
            new RowCase(GEMINI, "400-api-key-invalid", "gemini", 400, "API_KEY_INVALID"),
            new RowCase(GEMINI, "400-failed-precondition", "gemini", 400, "FAILED_PRECONDITION"),
            new RowCase(GEMINI, "400-invalid-argument", "gemini", 400, "INVALID_ARGUMENT"),
            new RowCase(GEMINI, "403-permission-denied", "gemini", 403, "PERMISSION_DENIED"),
            new RowCase(GEMINI, "404-not-found", "gemini", 404, "NOT_FOUND"),
            new RowCase(GEMINI, "503-unavailable", "gemini", 503, "UNAVAILABLE"),
            new RowCase(GEMINI, "504-deadline-exceeded", "gemini", 504, "DEADLINE_EXCEEDED"),
            new RowCase(GEMINI_PRO, "429-per-minute", "gemini", 429, "RESOURCE_EXHAUSTED"),
            new RowCase(GEMINI_PRO, "429-per-day", "gemini", 429, "RESOURCE_EXHAUSTED"),
            // OpenAI
            new RowCase(OPENAI, "429-insufficient-quota", "openai", 429, "insufficient_quota"),
            new RowCase(OPENAI, "429-rate-limit", "openai", 429, "rate_limit_exceeded"),
            new RowCase(OPENAI, "400-moderation-blocked", "openai", 400, "moderation_blocked"),
            new RowCase(OPENAI, "400-invalid-size", "openai", 400, "invalid_value"),
            new RowCase(OPENAI, "401-invalid-api-key", "openai", 401, "invalid_api_key"),
            new RowCase(OPENAI, "404-model-not-found", "openai", 404, "model_not_found"),
            new RowCase(OPENAI, "503-overloaded", "openai", 503, "server_error"),
            new RowCase(OPENAI, "504-gateway-timeout", "openai", 504, "HTTP_504"),
            // Bedrock, through the SDK
            new RowCase(NOVA, "429-ThrottlingException", "bedrock", 429, "ThrottlingException"),
            new RowCase(NOVA, "all-blocked", "bedrock", 200, "ContentFiltered"),
            new RowCase(NOVA, "400-ValidationException-prompt-blocked", "bedrock", 400, "ValidationException:ContentFilter"),
            new RowCase(NOVA, "400-ValidationException-size", "bedrock", 400, "ValidationException"),
            new RowCase(NOVA, "403-AccessDeniedException", "bedrock", 403, "AccessDeniedException"),
            new RowCase(NOVA, "404-ResourceNotFoundException", "bedrock", 404, "ResourceNotFoundException"),
            new RowCase(NOVA, "408-ModelTimeoutException", "bedrock", 408, "ModelTimeoutException"),
            new RowCase(NOVA, "503-ServiceUnavailableException", "bedrock", 503, "ServiceUnavailableException"),
            // what is left, by status class
            new RowCase(NOVA, "429-TooManyRequestsException", "bedrock", 429, "TooManyRequestsException"),
            new RowCase(GEMINI, "500-internal", "gemini", 500, "INTERNAL"),
            new RowCase(OPENAI, "500-server-error", "openai", 500, "server_error"),
            new RowCase(NOVA, "424-ModelErrorException", "bedrock", 424, "ModelErrorException"),
            new RowCase(GEMINI, "302-found", "gemini", 302, "HTTP_302"));

    @Test
    void everyRowOfTheClassificationHasAWorkerCase() {
        Set<Classification.Row> covered = ROW_CASES.stream().map(RowCase::row).collect(Collectors.toSet());
        List<Classification.Row> missing = Classification.ROWS.stream().filter(row -> !covered.contains(row)).toList();
        assertTrue(missing.isEmpty(), () -> "rows without a worker case in ROW_CASES: " + missing);
    }

    static Stream<RowCase> answersThatEndTheJob() {
        return ROW_CASES.stream().filter(c -> c.row().kind() != Classification.Kind.RATE_LIMITED);
    }

    static Stream<RowCase> rateLimits() {
        return ROW_CASES.stream().filter(c -> c.row().kind() == Classification.Kind.RATE_LIMITED);
    }

    /**
     * A refusal fails the job at the first call; a passing failure is retried until the attempts run out; a call
     * that may have been billed is retried once (the default policy), then fails saying so.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("answersThatEndTheJob")
    void theWorkerEndsTheJobAsTheRowSays(RowCase row) {
        String marker = "fox " + UUID.randomUUID();
        Job job = row.answer().equals(INPUT_MISSING) ? WorkerTestData.queuedEditOfAMissingInput(row.model(), marker + " [case:success]")
                : queuedJob(row.model(), row.answer().isEmpty() ? marker : marker + " [case:" + row.answer() + "]", 1);
        Attempt.Outcome outcome = switch (row.row().kind()) {
            case REFUSED -> Attempt.Outcome.REFUSED;
            case RETRY_LATER -> Attempt.Outcome.RETRY_LATER;
            case AMBIGUOUS -> Attempt.Outcome.AMBIGUOUS;
            case RATE_LIMITED -> throw new IllegalArgumentException("rate limits are tested last, in their own test");
        };
        int calls = switch (row.row().kind()) {
            case REFUSED -> 1;
            case AMBIGUOUS -> AMBIGUOUS_CALLS;
            default -> MAX_ATTEMPTS;
        };

        for (int delivery = 1; delivery < calls; delivery++) {
            deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(1));
            Job released = jobs().find(job.id()).orElseThrow();
            assertEquals(JobStatus.QUEUED, released.status(), "released for another attempt");
            assertEquals(row.row().type(), released.error().orElseThrow().type());
        }
        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job failed = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        JobError error = failed.error().orElseThrow();
        assertEquals(row.row().type(), error.type());
        assertTrue(error.message().contains(row.named()), () -> "reached another row than " + row.named() + ": " + error);
        assertTrue(error.message().endsWith(row.named() + ": " + Classification.says(row.row().type())),
                () -> "callers read a fixed text, never what the provider said: " + error);
        if (row.row().kind() == Classification.Kind.RETRY_LATER) {
            assertTrue(error.message().startsWith("gave up after " + MAX_ATTEMPTS + " attempts"), error::toString);
        }
        if (row.row().kind() == Classification.Kind.AMBIGUOUS) {
            assertTrue(error.message().contains("may have generated and billed"), error::toString);
        }
        assertEquals(calls, failed.attempts());
        assertEquals(Collections.nCopies(calls, outcome), outcomes(failed));
        // a failed connect sends nothing; a body cut short is never a whole request the fake records
        int reachedTheProvider = row.code().equals("CONNECT_FAILED") || row.code().equals("INPUT_UNREADABLE") ? 0 : calls;
        assertEquals(reachedTheProvider, FakeProvidersTestResource.server().receivedWith(marker).size());
    }

    /**
     * Runs last: a 429 cools its account down for every worker. Each model a rate-limit case uses has one account
     * per case (see {@link FakeProvidersTestResource}), so no case meets another's cooldown.
     */
    @Order(Integer.MAX_VALUE)
    @ParameterizedTest(name = "{0}")
    @MethodSource("rateLimits")
    void aRateLimitCoolsTheAccountDownAndTheJobWaitsForQuotaInsteadOfFailing(RowCase row) {
        String marker = "fox " + UUID.randomUUID();
        Job job = queuedJob(row.model(), marker + " [case:" + row.answer() + "]", 1);

        try (EmfCapture emf = EmfCapture.start()) {
            deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

            JsonNode throttled = emf.documents("ProviderThrottled", job.id().value()).get(0);
            assertEquals(row.provider(), throttled.path("Provider").asText());
            assertEquals(List.of(List.of("Service"), List.of("Service", "Provider")), EmfCapture.dimensionSets(throttled, "ProviderThrottled"));
            assertEquals(1, emf.documents("QuotaWaits", job.id().value()).size(), "a 429 makes the job wait for quota");
        }
        Job waiting = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.WAITING_FOR_QUOTA, waiting.status());
        assertEquals(0, waiting.attempts(), "waiting for quota uses up no attempt");
        assertEquals(List.of(Attempt.Outcome.RATE_LIMITED), outcomes(waiting));
        assertEquals(Optional.of(row.row().type()), waiting.attemptLog().get(0).errorType());
        assertEquals(1, FakeProvidersTestResource.server().receivedWith(marker).size());
    }

    /** What the provider said can carry anything; the log keeps it, on a line that names the job. */
    @Test
    void theProvidersOwnMessageIsLoggedWithTheJobAndNeverShownToItsCaller() throws Exception {
        String providerSaid = "The model is overloaded. Please try again later."; // fake-providers/gemini/503-unavailable.json
        Job job = queuedJob(GEMINI, "a fox " + UUID.randomUUID() + " [case:503-unavailable]", 1);

        List<JsonNode> logged = new java.util.ArrayList<>();
        try (ConsoleLogCapture log = ConsoleLogCapture.start()) {
            deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(1));
            for (String line : log.lines()) {
                if (line.contains(providerSaid)) {
                    logged.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
                }
            }
        }

        assertEquals(List.of(job.id().value()), logged.stream().map(line -> line.path("mdc").path("jobId").asText()).toList(),
                "logged once, on the job's line");
        JobError error = jobs().find(job.id()).orElseThrow().error().orElseThrow();
        assertEquals(new JobError("provider_unavailable", "gemini 503 UNAVAILABLE: the provider is overloaded"), error);
    }

    @Test
    void geminiMakesOneRequestPerImageAndTheJobRecordsAccountUsageAndCost() {
        Job job = queuedJob(GEMINI, "two foxes [case:success]", 2);

        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job done = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(2, done.images().size());
        assertEquals(2, FakeProvidersTestResource.server().receivedWith("two foxes").size());
        assertEquals("generations/" + job.id() + "/1.png", done.images().get(1).key());
        Attempt attempt = done.attemptLog().get(0);
        assertEquals("gemini", attempt.provider());
        assertEquals("project-a", attempt.account());
        assertEquals(java.util.Optional.of("project-a"), done.account());
        assertEquals(2612, attempt.usage().totalTokens());
        assertEquals(0, new BigDecimal("0.134").compareTo(attempt.estimatedCostUsd()), attempt.estimatedCostUsd()::toString);
    }

    @Test
    void theContentTypeTheProviderReturnsSetsTheKeysExtensionAndTheObjectsContentType() {
        Job job = queuedJob(OPENAI, "a fox [case:success-webp]", 1);

        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job done = jobs().find(job.id()).orElseThrow();
        assertEquals("generations/" + job.id() + "/0.webp", done.images().get(0).key());
        assertEquals("image/webp", done.images().get(0).contentType());
        String stored = MotoTestResource.clients().s3().headObject(head -> head
                .bucket(MotoTestResource.resources().physicalId("ImagesBucket")).key(done.images().get(0).key())).contentType();
        assertEquals("image/webp", stored);
        assertEquals(284, done.attemptLog().get(0).usage().totalTokens());
    }

    @Test
    void aGeminiJobOfThreeWithOneRequestRefusedSucceedsWithTheTwoImagesAndShowsTheShortfall() {
        String marker = "three owls " + UUID.randomUUID();
        Job job = queuedJob(GEMINI, marker + " [cases:success,finish-image-safety,success]", 3);

        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job done = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(List.of("generations/" + job.id() + "/0.png", "generations/" + job.id() + "/1.png"), keys(done));
        assertEquals(2, storedObjects(job));
        assertOneImageBlocked(done, "IMAGE_SAFETY");
        assertEquals(3, FakeProvidersTestResource.server().receivedWith(marker).size());
        assertEquals(List.of(Attempt.Outcome.REFUSED), outcomes(done));
        assertEquals(2, done.attemptLog().get(0).images());
    }

    @Test
    void aGeminiJobOfThreeWithOneRequestOverloadedKeepsTheTwoImagesAndTheRetryAsksOnlyForTheThird() {
        String marker = "three cats " + UUID.randomUUID();
        Job job = queuedJob(GEMINI, marker + " [cases:success,503-unavailable,success]", 3);

        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(1));
        assertEquals(JobStatus.QUEUED, jobs().find(job.id()).orElseThrow().status());
        assertEquals(2, storedObjects(job), "the two images that came back are stored at once");

        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job done = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(List.of("generations/" + job.id() + "/0.png", "generations/" + job.id() + "/1.png",
                "generations/" + job.id() + "/2.png"), keys(done));
        assertEquals(Optional.empty(), done.shortfall());
        assertEquals(4, FakeProvidersTestResource.server().receivedWith(marker).size(), "3 requests, then 1 for the missing image");
        assertEquals(List.of(Attempt.Outcome.RETRY_LATER, Attempt.Outcome.GENERATED), outcomes(done));
        assertEquals(List.of(2, 1), done.attemptLog().stream().map(Attempt::images).toList());
    }

    @Test
    void aNovaCanvasJobWithSomeImagesBlockedSucceedsWithTheRestAndShowsTheShortfall() {
        String marker = "two foxes " + UUID.randomUUID();
        Job job = queuedJob(NOVA, marker + " [case:some-blocked]", 2);

        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job done = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(List.of("generations/" + job.id() + "/0.png"), keys(done));
        assertOneImageBlocked(done, "ContentFiltered");
        assertEquals(1, FakeProvidersTestResource.server().receivedWith(marker).size());
    }

    private static void assertOneImageBlocked(Job done, String providersReason) {
        Shortfall shortfall = done.shortfall().orElseThrow();
        assertEquals(1, shortfall.missing());
        assertEquals("safety_block", shortfall.type());
        assertTrue(shortfall.message().contains(providersReason), shortfall::message);
    }

    private static List<String> keys(Job job) {
        return job.images().stream().map(StoredImage::key).toList();
    }

    private static int storedObjects(Job job) {
        return MotoTestResource.clients().s3().listObjectsV2(list -> list
                .bucket(MotoTestResource.resources().physicalId("ImagesBucket")).prefix("generations/" + job.id() + "/")).keyCount();
    }

    private static List<Attempt.Outcome> outcomes(Job job) {
        return job.attemptLog().stream().map(Attempt::outcome).toList();
    }

    private static io.restassured.response.ValidatableResponse deliver(Job job) {
        return given().contentType(ContentType.JSON).body(event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "1")))
                .when().post()
                .then().statusCode(200);
    }
}
