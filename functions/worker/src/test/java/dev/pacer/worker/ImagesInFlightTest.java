package dev.pacer.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.pacer.testsupport.EventFixtures.event;
import static dev.pacer.worker.WorkerTestData.jobs;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worst batch the template allows, four jobs of four 4K images, on a worker whose budget for images in flight
 * holds two such jobs: the real Gemini adapter against the fake provider server, which counts its requests at once.
 */
@QuarkusTest
@TestProfile(ImagesInFlightTest.TwoFourKJobsAtOnce.class)
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeProvidersTestResource.class, restrictToAnnotatedClass = true)
class ImagesInFlightTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 450 MiB: two jobs of four 4K images (4 × 52 MiB each) fit, a third does not. */
    public static class TwoFourKJobsAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pacer.images-in-flight.budget-mb", "450",
                    "pacer.images-in-flight.max-wait", "PT60S",
                    "pacer.timeouts.four-k", "PT30S");
        }
    }

    @Test
    void aBatchOfFourFourKJobsOfFourImagesKeepsAtMostTwoJobsImagesInFlightAndFinishesThemAll() throws Exception {
        String marker = "lighthouse " + UUID.randomUUID();
        List<Job> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Job job = Job.queued(JobId.random(), "alice", new GenerationRequest(marker + " [case:slow-success]", WorkerTestData.GEMINI_FLASH,
                    Resolution.FOUR_K, "1:1", 4, Map.of()), Instant.now());
            jobs().create(job);
            batch.add(job);
        }

        given().contentType(ContentType.JSON).body(batchEvent(batch)).when().post().then().statusCode(200)
                .body("batchItemFailures", empty());

        for (Job job : batch) {
            Job done = jobs().find(job.id()).orElseThrow();
            assertEquals(JobStatus.SUCCEEDED, done.status(), done::toString);
            assertEquals(4, done.images().size());
        }
        assertEquals(16, FakeProvidersTestResource.server().receivedWith(marker).size());
        int mostAtOnce = FakeProvidersTestResource.server().mostAtOnce();
        assertTrue(mostAtOnce <= 8, "two jobs' images at a time, never the batch's sixteen: " + mostAtOnce);
    }

    /** One SQS event with a record per job, as the event source mapping sends a batch. */
    private static String batchEvent(List<Job> jobs) throws Exception {
        ArrayNode records = JSON.createArrayNode();
        for (Job job : jobs) {
            ObjectNode single = (ObjectNode) JSON.readTree(event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "1")));
            ObjectNode record = (ObjectNode) single.get("Records").get(0);
            record.put("messageId", UUID.randomUUID().toString());
            records.add(record);
        }
        return JSON.writeValueAsString(JSON.createObjectNode().set("Records", records));
    }
}
