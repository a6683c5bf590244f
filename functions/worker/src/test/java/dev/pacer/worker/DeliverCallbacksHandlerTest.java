package dev.pacer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.localrun.CallbackReceiver;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.testsupport.EventFixtures.event;
import static dev.pacer.worker.WorkerTestData.jobs;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The callback deliverer: real SQS events from the callbacks queue to the mock event server, POSTs to a loopback
 * HTTP server, the job record and the queue in moto.
 */
@QuarkusTest
@TestProfile(DeliverCallbacksHandlerTest.CallbackDelivery.class)
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
class DeliverCallbacksHandlerTest {

    private static final String KEY = "test-signing-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class CallbackDelivery implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "deliver-callbacks",
                    "pacer.callbacks.signing-key", KEY,
                    "pacer.callbacks.max-attempts", "3",
                    "pacer.callbacks.first-backoff", "PT1S");
        }
    }

    @Test
    void aSucceededJobIsPostedSignedAsGetShowsItAndTheDeliveryIsRecorded() throws Exception {
        try (CallbackReceiver receiver = CallbackReceiver.start(204)) {
            Job job = succeededJobCallingBack(receiver.url("/hooks/pacer"));

            deliver(job.id());

            CallbackReceiver.Received post = receiver.next(Duration.ofSeconds(5)).orElseThrow();
            assertEquals("/hooks/pacer", post.path());
            assertTrue(post.signedWith(KEY), "Pacer-Signature is the HMAC of t.body: " + post.header("Pacer-Signature"));
            assertFalse(post.signedWith("another-key"));
            assertEquals(Optional.of(job.id().value()), post.header("Pacer-Job-Id"));
            assertTrue(post.header("Content-Type").orElseThrow().startsWith("application/json"));
            long signedAt = Long.parseLong(post.header("Pacer-Signature").orElseThrow().replaceAll("^t=(\\d+),.*$", "$1"));
            assertTrue(Math.abs(signedAt - Instant.now().getEpochSecond()) < 300, "t is the time of signing in unix seconds");

            JsonNode body = JSON.readTree(post.body());
            assertEquals(job.id().value(), body.get("id").asText());
            assertEquals("SUCCEEDED", body.get("status").asText());
            assertEquals("generations/" + job.id() + "/0.png", body.get("images").get(0).get("key").asText());
            assertTrue(body.get("images").get(0).get("url").asText().contains("X-Amz-Signature"), "a presigned image URL");
            assertTrue(body.get("finishedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "ISO-8601 times, as GET shows them");

            Callback callback = jobs().find(job.id()).orElseThrow().callback().orElseThrow();
            assertEquals(1, callback.attempts());
            assertEquals(Optional.of(204), callback.lastStatus());
            assertTrue(callback.deliveredAt().isPresent());
            assertTrue(noticesFor(job.id(), Duration.ofSeconds(2)).isEmpty(), "delivered: nothing re-sent");

            deliver(job.id()); // a duplicate notice
            assertTrue(receiver.next(Duration.ofMillis(500)).isEmpty(), "a delivered callback is not posted again");
        }
    }

    @Test
    void aFailedPostIsRetriedFromADelayedNoticeUntilItIsAccepted() {
        try (CallbackReceiver receiver = CallbackReceiver.start(500, 200)) {
            Job job = failedJobCallingBack(receiver.url("/hook"));

            deliver(job.id());
            assertEquals(500, receiver.next(Duration.ofSeconds(5)).orElseThrow().answeredWith());
            Callback afterFirst = jobs().find(job.id()).orElseThrow().callback().orElseThrow();
            assertEquals(1, afterFirst.attempts());
            assertEquals(Optional.of(500), afterFirst.lastStatus());
            assertTrue(afterFirst.deliveredAt().isEmpty() && afterFirst.gaveUpAt().isEmpty());

            // the retry is a new message on the callbacks queue, delayed by the backoff: deliver it as SQS would
            assertEquals(1, noticesFor(job.id(), Duration.ofSeconds(5)).size());
            deliver(job.id());

            CallbackReceiver.Received retried = receiver.next(Duration.ofSeconds(5)).orElseThrow();
            assertEquals(200, retried.answeredWith());
            assertTrue(retried.signedWith(KEY));
            assertEquals("FAILED", retried.bodyText().replaceAll("(?s).*\"status\":\"([A-Z_]+)\".*", "$1"));
            Callback delivered = jobs().find(job.id()).orElseThrow().callback().orElseThrow();
            assertEquals(2, delivered.attempts());
            assertEquals(Optional.of(200), delivered.lastStatus());
            assertTrue(delivered.deliveredAt().isPresent());
        }
    }

    @Test
    void afterTheLastAttemptDeliveryIsGivenUpAndRecorded() {
        try (CallbackReceiver receiver = CallbackReceiver.start(503)) {
            Job job = failedJobCallingBack(receiver.url("/hook"));

            for (int attempt = 1; attempt <= 3; attempt++) {
                if (attempt > 1) {
                    assertEquals(1, noticesFor(job.id(), Duration.ofSeconds(5)).size(), "retry " + attempt + " was sent");
                }
                deliver(job.id());
                assertEquals(503, receiver.next(Duration.ofSeconds(5)).orElseThrow().answeredWith());
            }

            Callback callback = jobs().find(job.id()).orElseThrow().callback().orElseThrow();
            assertEquals(3, callback.attempts());
            assertEquals(Optional.of(503), callback.lastStatus());
            assertTrue(callback.gaveUpAt().isPresent());
            assertTrue(callback.deliveredAt().isEmpty());
            assertTrue(noticesFor(job.id(), Duration.ofSeconds(3)).isEmpty(), "given up: no further retry");
        }
    }

    @Test
    void anUnreachableReceiverIsRecordedAsTheLastError() {
        URI closed;
        try (CallbackReceiver gone = CallbackReceiver.start()) {
            closed = gone.url("/hook");
        }
        Job job = failedJobCallingBack(closed);

        deliver(job.id());

        Callback callback = jobs().find(job.id()).orElseThrow().callback().orElseThrow();
        assertEquals(1, callback.attempts());
        assertTrue(callback.lastStatus().isEmpty());
        assertEquals(Optional.of("connection refused (ConnectException)"), callback.lastError(), "a fixed text; the exception's is logged");
        assertEquals(1, noticesFor(job.id(), Duration.ofSeconds(5)).size());
    }

    private static void deliver(JobId id) {
        given().contentType(ContentType.JSON)
                .body(event("sqs-callback.json", Map.of("jobId", id.value())))
                .when().post()
                .then().statusCode(200)
                .body("batchItemFailures", empty());
    }

    /** Receives (and deletes) the callbacks queue's messages naming {@code id}, waiting at most {@code wait}. */
    private static List<String> noticesFor(JobId id, Duration wait) {
        String queueUrl = MotoTestResource.resources().physicalId("CallbacksQueue");
        var sqs = MotoTestResource.clients().sqs();
        Instant until = Instant.now().plus(wait);
        while (Instant.now().isBefore(until)) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            List<String> ours = messages.stream().filter(m -> JobMessage.parse(m.body()).equals(Optional.of(id)))
                    .map(m -> {
                        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                        return m.body();
                    }).toList();
            if (!ours.isEmpty()) {
                return ours;
            }
        }
        return List.of();
    }

    private static Job succeededJobCallingBack(URI url) {
        Job job = runningJobCallingBack(url);
        jobs().markSucceeded(job.id(), List.of(new StoredImage("generations/" + job.id() + "/0.png", "image/png", 68)), Optional.empty(), List.of(), Instant.now());
        return job;
    }

    private static Job failedJobCallingBack(URI url) {
        Job job = runningJobCallingBack(url);
        jobs().markFailed(job.id(), new JobError("safety", "blocked by the provider"), Instant.now());
        return job;
    }

    private static Job runningJobCallingBack(URI url) {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", WorkerTestData.GEMINI_FLASH, Resolution.ONE_K, "1:1",
                1, Map.of()), Instant.now()).withCallback(url);
        jobs().create(job);
        jobs().claim(job.id(), Instant.now(), Instant.now().plusSeconds(60)).orElseThrow();
        return job;
    }
}
