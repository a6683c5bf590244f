package dev.pacer.worker;

import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.testsupport.EmfCapture;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.testsupport.EventFixtures.event;
import static dev.pacer.worker.WorkerTestData.jobs;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dead-letter recorder: POSTs a real SQS event from the dead-letter queue to the mock event server. */
@QuarkusTest
@TestProfile(RecordDeadLettersHandlerTest.DeadLetterHandler.class)
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
class RecordDeadLettersHandlerTest {

    public static class DeadLetterHandler implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "record-dead-letters");
        }
    }

    @Test
    void aDeadLetteredJobEndsFailedWithItsLastErrorAndFinishedJobsStayAsTheyAre() throws IOException {
        Instant now = Instant.now();
        Job crashed = job().withCallback(URI.create("https://hooks.example.com/pacer"));
        jobs().create(crashed);
        jobs().claim(crashed.id(), now, now.plusSeconds(1)).orElseThrow();
        jobs().release(crashed.id(), new JobError("provider_unavailable", "503"), List.of(), now);
        jobs().claim(crashed.id(), now, now.plusSeconds(1)).orElseThrow();
        Job finished = job();
        jobs().create(finished);
        jobs().claim(finished.id(), now, now.plusSeconds(60)).orElseThrow();
        jobs().markSucceeded(finished.id(), List.of(new StoredImage("generations/x/0.png", "image/png", 1)), java.util.Optional.empty(), List.of(), now);

        try (EmfCapture emf = EmfCapture.start()) {
            given().contentType(ContentType.JSON)
                    .body(event("sqs-dead-letters.json", Map.of("jobId", crashed.id().value(), "finishedJobId", finished.id().value())))
                    .when().post()
                    .then().statusCode(200)
                    .body("batchItemFailures", empty());

            assertEquals(List.of("dead_lettered"), emf.documents("Failed", crashed.id().value()).stream()
                    .map(line -> line.path("Reason").asText()).toList(), "counted as a failure, by its reason");
            assertEquals(List.of(), emf.documents("Failed", finished.id().value()), "a finished job is not counted again");
        }

        Job failed = jobs().find(crashed.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("dead_lettered", failed.error().orElseThrow().type());
        assertTrue(failed.error().orElseThrow().message().contains("2 attempts"), failed.error()::toString);
        assertTrue(failed.error().orElseThrow().message().contains("provider_unavailable"), failed.error()::toString);
        assertEquals(JobStatus.SUCCEEDED, jobs().find(finished.id()).orElseThrow().status());
        String callbacks = MotoTestResource.resources().physicalId("CallbacksQueue");
        assertEquals(List.of(Optional.of(crashed.id())), MotoTestResource.clients().sqs()
                .receiveMessage(r -> r.queueUrl(callbacks).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().stream()
                .map(m -> JobMessage.parse(m.body())).toList(), "the failed job's callback is due; the other job has none");
    }

    private static Job job() {
        return Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image",
                Resolution.ONE_K, "1:1", 1, Map.of()), Instant.now());
    }
}
