package dev.pacer.worker;

import dev.pacer.aws.dynamodb.DynamoDbBatchStore;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.usecase.PollBatches;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.pacer.testsupport.EventFixtures.event;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch lane's scheduled collector through the mock event server, then its poller, against moto: a batch-lane
 * job goes into a simulated batch kept in S3, and comes back SUCCEEDED with its image under its usual key.
 */
@QuarkusTest
@TestProfile(BatchLaneHandlersTest.Collector.class)
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
class BatchLaneHandlersTest {

    public static class Collector implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "collect-batches", "pacer.batch.min-lines", "1", "pacer.simulated.latency-factor", "0",
                    "pacer.simulated.max-long-side", "64");
        }
    }

    @Inject
    PollBatches poller;

    @Test
    void theCollectorBatchesAWaitingJobAndThePollerEndsItWithItsImage() throws IOException {
        DynamoDbJobStore jobs = new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(),
                MotoTestResource.resources().physicalId("JobsTable"), Duration.ofDays(1));
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1,
                Map.of()), Instant.now()).withLane(new LaneChoice(Lane.BATCH, "asked for the batch lane"));
        jobs.create(job);

        given().contentType(ContentType.JSON).body(event("scheduled.json", Map.of())).when().post().then().statusCode(200);

        Job batched = jobs.find(job.id()).orElseThrow();
        assertEquals(JobStatus.BATCHED, batched.status());
        BatchRecord record = new DynamoDbBatchStore(MotoTestResource.clients().dynamoDb(),
                MotoTestResource.resources().physicalId("BatchesTable"), Duration.ofDays(1)).find(batched.batchId().orElseThrow()).orElseThrow();
        assertEquals(BatchRecord.Phase.OPEN, record.phase());
        assertTrue(record.provider().orElseThrow().name().startsWith("simulated-batches/pacer-"));

        PollBatches.Polled polled = poller.poll();

        assertEquals(1, polled.succeeded(), polled::toString);
        Job done = jobs.find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals("generations/" + job.id() + "/0.png", done.images().get(0).key());
        assertEquals("simulated-batch", done.attemptLog().get(0).provider());
    }
}
