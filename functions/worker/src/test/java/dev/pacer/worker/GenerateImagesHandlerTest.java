package dev.pacer.worker;

import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Attempt;
import dev.pacer.aws.priming.SdkPriming;
import dev.pacer.runtime.PrimeOnStart;
import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.worker.WorkerTestData.GEMINI_FLASH;
import static dev.pacer.testsupport.EventFixtures.event;
import static dev.pacer.worker.WorkerTestData.jobs;
import static dev.pacer.worker.WorkerTestData.queuedJob;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POSTs real SQS event JSON to the Lambda mock event server, against moto. */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
class GenerateImagesHandlerTest {

    @Inject
    PrimeOnStart priming;

    @Test
    void startUpPrimedEverySdkCallAJobMakes() {
        SdkPriming.Report report = priming.report().orElseThrow();

        assertTrue(report.allPrimed(), report.toString());
        assertEquals(List.of("JobStore.claim", "QuotaStateStore.load", "QuotaStateStore.replace", "QuotaStateStore.replace lost race",
                "ImageStore.put", "JobStore.markSucceeded", "CompletionNotices.jobFinished", "JobQueue.enqueue delayed", "JobStore.find"),
                report.calls());
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void aBatchFinishesItsJobsAndReportsOnlyTheMessageThatNamesNoJob() {
        Job first = queuedJob(GEMINI_FLASH, "a red fox", 1);
        Job second = queuedJob(GEMINI_FLASH, "a blue whale", 2);

        invoke(event("sqs-batch-with-a-stranger.json", Map.of("firstJobId", first.id().value(), "secondJobId", second.id().value())))
                .body("batchItemFailures.itemIdentifier", contains("2e1424d4-f796-459a-8184-9c92662be6da"));

        for (Job job : List.of(first, second)) {
            Job done = jobs().find(job.id()).orElseThrow();
            assertEquals(JobStatus.SUCCEEDED, done.status());
            assertEquals(0, done.attemptLog().get(0).estimatedCostUsd().signum(), "the simulated provider bills nothing");
            assertEquals(job.request().count(), done.images().size());
            for (int n = 0; n < done.images().size(); n++) {
                assertEquals("generations/" + job.id() + "/" + n + ".png", done.images().get(n).key());
                byte[] stored = s3Object(done.images().get(n).key());
                assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(stored, 8));
                assertEquals(stored.length, done.images().get(n).bytes());
            }
        }
    }

    @Test
    void aModelOnlyThePoolNamesIsServedByTheAccountNamingIt() {
        Job job = queuedJob(WorkerTestData.POOL_ONLY, "a fox from next year", 1);

        invoke(event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "1"))).body("batchItemFailures", empty());

        Job done = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status(), () -> String.valueOf(done.error()));
        assertEquals(Optional.of("roomy"), done.account());
        assertEquals(WorkerTestData.POOL_ONLY, done.attemptLog().get(0).model());
        assertEquals(0, done.attemptLog().get(0).estimatedCostUsd().signum(), "the catalog has no price for it");
    }

    @Test
    void onlyAFinishedJobWithACallbackUrlPutsANoticeOnTheCallbacksQueue() {
        Job plain = queuedJob(GEMINI_FLASH, "a plain fox", 1);
        Job calling = Job.queued(JobId.random(), "alice", plain.request(), Instant.now()).withCallback(URI.create("https://hooks.example.com/x"));
        jobs().create(calling);

        invoke(event("sqs-single.json", Map.of("jobId", plain.id().value(), "receiveCount", "1"))).body("batchItemFailures", empty());
        invoke(event("sqs-single.json", Map.of("jobId", calling.id().value(), "receiveCount", "1"))).body("batchItemFailures", empty());

        assertEquals(JobStatus.SUCCEEDED, jobs().find(calling.id()).orElseThrow().status());
        String queueUrl = MotoTestResource.resources().physicalId("CallbacksQueue");
        List<Optional<JobId>> notices = MotoTestResource.clients().sqs()
                .receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().stream()
                .map(m -> JobMessage.parse(m.body())).toList();
        assertEquals(List.of(Optional.of(calling.id())), notices);
    }

    @Test
    void aDuplicateDeliveryOfAFinishedJobDoesNothing() {
        Job job = queuedJob(GEMINI_FLASH, "a lighthouse", 1);
        String event = event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "1"));
        invoke(event).body("batchItemFailures", empty());
        Instant finishedAt = jobs().find(job.id()).orElseThrow().finishedAt().orElseThrow();

        invoke(event).body("batchItemFailures", empty());

        Job after = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, after.status());
        assertEquals(1, after.attempts(), "the provider was not called again");
        assertEquals(finishedAt, after.finishedAt().orElseThrow());
    }

    @Test
    void aJobWhoseWorkerWasLostIsRetriedOnceCountingTheLostCallAsPossiblyBilled() {
        Job job = queuedJob(GEMINI_FLASH, "a heron", 1);
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        jobs().claim(job.id(), longAgo, longAgo.plusSeconds(1)).orElseThrow(); // an attempt that died mid-call
        String event = event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "2"));

        invoke(event).body("batchItemFailures", empty());

        Job done = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(List.of("worker_lost"), done.attemptLog().stream().flatMap(a -> a.errorType().stream()).toList());
        assertEquals(List.of(1, 2), done.attemptLog().stream().map(a -> a.number()).toList());
    }

    @Test
    void aWorkerLostAfterStoringTheImagesIsRepairedWithoutAnotherProviderCall() {
        Job job = queuedJob(GEMINI_FLASH, "an owl", 1);
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        jobs().claim(job.id(), longAgo, longAgo.plusSeconds(1)).orElseThrow(); // an attempt that got its image from the provider,
        String key = "generations/" + job.id() + "/0.png";
        MotoTestResource.clients().s3().putObject(put -> put.bucket(MotoTestResource.resources().physicalId("ImagesBucket"))
                .key(key).contentType("image/png"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(PNG_SIGNATURE));
        // ... and died before marking the job SUCCEEDED

        invoke(event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "2")))
                .body("batchItemFailures", empty());

        Job done = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(List.of(new StoredImage(key, "image/png", PNG_SIGNATURE.length)), done.images());
        assertEquals(List.of(Attempt.Outcome.GENERATED), done.attemptLog().stream().map(Attempt::outcome).toList(),
                "the lost attempt is logged as the one that generated the images; no second provider call");
    }

    @Test
    void aJobThatLostTwoWorkersIsNotCalledAgain() {
        Job job = queuedJob(GEMINI_FLASH, "a crane", 1);
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        jobs().claim(job.id(), longAgo, longAgo.plusSeconds(1)).orElseThrow();
        jobs().claim(job.id(), longAgo.plusSeconds(2), longAgo.plusSeconds(3)).orElseThrow();

        invoke(event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "3")))
                .body("batchItemFailures", empty());

        Job failed = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("worker_lost", failed.error().orElseThrow().type());
        assertEquals(0, failed.images().size());
    }

    @Test
    void aSafetyBlockEndsFailedWithTheProvidersReasonAndIsNotRetried() {
        Job job = queuedJob(GEMINI_FLASH, "a fox [simulate:safety]", 1);

        invoke(event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "1")))
                .body("batchItemFailures", empty());

        Job failed = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("safety_block", failed.error().orElseThrow().type());
    }

    @Test
    void aRetryableFailureComesBackAfterTheBackoffAndFailsForGoodAfterTheLastAttempt() {
        Job job = queuedJob(GEMINI_FLASH, "a fox [simulate:unavailable]", 1);
        String queueUrl = MotoTestResource.resources().physicalId("JobsQueue");
        MotoTestResource.clients().sqs().sendMessage(send -> send.queueUrl(queueUrl).messageBody("{\"jobId\":\"" + job.id() + "\"}"));

        for (int attempt = 1; attempt <= 3; attempt++) {
            Message message = receive(queueUrl, Duration.ofSeconds(10));
            String event = event("sqs-single.json", Map.of("jobId", job.id().value(),
                            "receiveCount", message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
                    .replace("AQEB6c5a1f0e3b2d4e8f9a7c1d2e3f4a5b6c==", message.receiptHandle())
                    .replace("6c5a1f0e-3b2d-4e8f-9a7c-1d2e3f4a5b6c", message.messageId());
            if (attempt < 3) {
                invoke(event).body("batchItemFailures.itemIdentifier", contains(message.messageId()));
                Job waiting = jobs().find(job.id()).orElseThrow();
                assertEquals(JobStatus.QUEUED, waiting.status(), "released for another attempt");
                assertEquals("provider_unavailable", waiting.error().orElseThrow().type());
            } else {
                invoke(event).body("batchItemFailures", empty());
            }
        }

        Job failed = jobs().find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(3, failed.attempts());
        assertTrue(failed.error().orElseThrow().message().startsWith("gave up after 3 attempts"), failed.error()::toString);
    }

    /** Receives the next message, waiting through the backoff the worker set (the queue's own visibility is 72 minutes). */
    private static Message receive(String queueUrl, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            List<Message> messages = MotoTestResource.clients().sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (!messages.isEmpty()) {
                return messages.get(0);
            }
        }
        throw new AssertionError("no message came back within " + within);
    }

    private static io.restassured.response.ValidatableResponse invoke(String event) {
        return given().contentType(ContentType.JSON).body(event)
                .when().post()
                .then().statusCode(200);
    }

    private static byte[] s3Object(String key) {
        return MotoTestResource.clients().s3().getObjectAsBytes(get -> get
                .bucket(MotoTestResource.resources().physicalId("ImagesBucket")).key(key)).asByteArray();
    }
}
