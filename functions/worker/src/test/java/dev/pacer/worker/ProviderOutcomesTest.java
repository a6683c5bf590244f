package dev.pacer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobStatus;
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
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.pacer.worker.WorkerTestData.event;
import static dev.pacer.worker.WorkerTestData.jobs;
import static dev.pacer.worker.WorkerTestData.queuedJob;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job per row of the classification table, run by the worker against the fake provider server
 * answering with the provider's exact JSON: the job's final status, error type and attempt log.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeProvidersTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderOutcomesTest {

    private static final String GEMINI = "gemini-3.1-flash-image-preview";
    private static final String OPENAI = "gpt-image-1";

    @ParameterizedTest(name = "{0} {1} → FAILED {2}")
    @CsvSource({
            "gemini-3.1-flash-image-preview, text-only,                        no_image",
            "gemini-3.1-flash-image-preview, prompt-blocked,                   safety_block",
            "gemini-3.1-flash-image-preview, finish-image-safety,              safety_block",
            "gemini-3.1-flash-image-preview, finish-image-prohibited-content,  safety_block",
            "gemini-3.1-flash-image-preview, finish-safety,                    safety_block",
            "gemini-3.1-flash-image-preview, finish-no-image,                  no_image",
            "gemini-3.1-flash-image-preview, 400-invalid-argument,             invalid_request",
            "gemini-3.1-flash-image-preview, 400-api-key-invalid,              provider_auth",
            "gemini-3.1-flash-image-preview, 400-failed-precondition,          provider_precondition",
            "gemini-3.1-flash-image-preview, 403-permission-denied,            provider_auth",
            "gemini-3.1-flash-image-preview, 404-not-found,                    model_not_found",
            "gpt-image-1,                    400-moderation-blocked,           safety_block",
            "gpt-image-1,                    400-invalid-size,                 invalid_request",
            "gpt-image-1,                    401-invalid-api-key,              provider_auth",
            "gpt-image-1,                    429-insufficient-quota,           quota_exhausted"})
    void aPermanentAnswerFailsTheJobAtOnceWithTheProvidersReason(String model, String answer, String type) {
        Job job = queuedJob(model, "a fox [case:" + answer + "]", 1);

        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job failed = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(type, failed.error().orElseThrow().type());
        assertEquals(1, failed.attempts(), "never retried");
        assertEquals(List.of(Attempt.Outcome.REFUSED), outcomes(failed));
    }

    @ParameterizedTest(name = "{0} {1} → {2} then FAILED after 3 attempts")
    @CsvSource({
            "gemini-3.1-flash-image-preview, 500-internal,           RETRY_LATER,  provider_error",
            "gemini-3.1-flash-image-preview, 503-unavailable,        RETRY_LATER,  provider_unavailable",
            "gemini-3.1-flash-image-preview, 504-deadline-exceeded,  RETRY_LATER,  provider_deadline_exceeded",
            "gpt-image-1,                    500-server-error,       RETRY_LATER,  provider_error",
            "gpt-image-1,                    503-overloaded,         RETRY_LATER,  provider_unavailable"})
    void aPassingFailureIsRetriedUntilTheAttemptsRunOut(String model, String answer, Attempt.Outcome outcome, String type) {
        Job job = queuedJob(model, "a fox [case:" + answer + "]", 1);

        for (int delivery = 1; delivery <= 2; delivery++) {
            deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(1));
            Job waiting = jobs().find(job.id()).orElseThrow();
            assertEquals(JobStatus.QUEUED, waiting.status(), "released for another attempt");
            assertEquals(type, waiting.error().orElseThrow().type());
        }
        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job failed = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(type, failed.error().orElseThrow().type());
        assertTrue(failed.error().orElseThrow().message().startsWith("gave up after 3 attempts"), failed.error()::toString);
        assertEquals(List.of(outcome, outcome, outcome), outcomes(failed));
    }

    @Test
    void aProviderThatHangsPastTheTimeoutIsRetriedOnceThenFailsAsPossiblyBilled() {
        Job job = queuedJob(GEMINI, "a fox [case:hang]", 1);

        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(1));
        assertEquals(JobStatus.QUEUED, jobs().find(job.id()).orElseThrow().status());
        deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

        Job failed = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("provider_timeout", failed.error().orElseThrow().type());
        assertTrue(failed.error().orElseThrow().message().contains("may have generated and billed"), failed.error()::toString);
        assertEquals(List.of(Attempt.Outcome.AMBIGUOUS, Attempt.Outcome.AMBIGUOUS), outcomes(failed));
    }

    /**
     * Runs last: a 429 cools its account down for every worker. Each Gemini row uses a model only one
     * account of the pool serves ("project-limited", "project-daily"), so no row meets another's cooldown.
     */
    @Order(Integer.MAX_VALUE)
    @ParameterizedTest(name = "{0} answers {1}")
    @CsvSource({
            "gemini-2.5-flash-image,         429-per-minute",
            "gemini-3-pro-image-preview,     429-per-day",
            "gpt-image-1,                    429-rate-limit"})
    void aRateLimitCoolsTheAccountDownAndTheJobWaitsForQuotaInsteadOfFailing(String model, String answer) {
        Job job = queuedJob(model, "a fox [case:" + answer + "]", 1);

        try (EmfCapture emf = EmfCapture.start()) {
            deliver(job).body("batchItemFailures.size()", org.hamcrest.Matchers.equalTo(0));

            JsonNode throttled = emf.documents("ProviderThrottled", job.id().value()).get(0);
            assertEquals(model.startsWith("gpt") ? "openai" : "gemini", throttled.path("Provider").asText());
            assertEquals(List.of(List.of("Service"), List.of("Service", "Provider")), EmfCapture.dimensionSets(throttled, "ProviderThrottled"));
            assertEquals(1, emf.documents("QuotaWaits", job.id().value()).size(), "a 429 makes the job wait for quota");
        }
        Job waiting = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.WAITING_FOR_QUOTA, waiting.status());
        assertEquals(0, waiting.attempts(), "waiting for quota uses up no attempt");
        assertEquals(List.of(Attempt.Outcome.RATE_LIMITED), outcomes(waiting));
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
    void aModelNoAccountOfThePoolServesFailsSayingSo() {
        Job job = queuedJob("amazon.nova-canvas-v1:0", "a fox", 1);

        deliver(job);

        Job failed = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("quota_unservable", failed.error().orElseThrow().type());
        assertEquals(0, failed.attemptLog().size(), "no provider was called");
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
