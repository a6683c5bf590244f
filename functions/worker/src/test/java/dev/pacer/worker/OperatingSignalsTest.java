package dev.pacer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.core.job.Job;
import dev.pacer.testsupport.ConsoleLogCapture;
import dev.pacer.testsupport.EmfCapture;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.pacer.testsupport.EmfCapture.dimensionSets;
import static dev.pacer.worker.WorkerTestData.GEMINI_FLASH;
import static dev.pacer.testsupport.EventFixtures.event;
import static dev.pacer.worker.WorkerTestData.queuedJob;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators see of a job the worker handles: the CloudWatch EMF lines it writes to stdout (valid, with the
 * dimensions the dashboard and alarms query) and its JSON log lines, each carrying the job id and never the prompt.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
class OperatingSignalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSucceededJobPublishesItsQueueWaitLatencyCostAndSuccessPerModelAndResolution() {
        Job job = queuedJob(GEMINI_FLASH, "a red fox in fresh snow", 2);
        String id = job.id().value();

        try (EmfCapture emf = EmfCapture.start()) {
            deliver(job);

            JsonNode queued = single(emf.documents("QueueWait", id));
            assertTrue(queued.path("QueueWait").asLong() >= 0, queued::toString);
            assertEquals(List.of(List.of("Service"), List.of("Service", "Model", "Resolution")), dimensionSets(queued, "QueueWait"));
            assertEquals("pacer", queued.path("Service").asText());
            assertEquals(GEMINI_FLASH, queued.path("Model").asText());
            assertEquals("1K", queued.path("Resolution").asText());

            JsonNode call = single(emf.documents("GenerationLatency", id));
            assertEquals(List.of(List.of("Service", "Model", "Resolution")), dimensionSets(call, "GenerationLatency"));
            assertEquals(2, call.path("GeneratedImages").asInt());
            assertEquals(0, call.path("EstimatedCostUsd").decimalValue().signum(), "the simulated provider bills nothing");
            assertEquals("simulated", call.path("Provider").asText());
            assertFalse(EmfCapture.metricNames(call).contains("ProviderThrottled"));

            JsonNode succeeded = single(emf.documents("Succeeded", id));
            assertEquals(1, succeeded.path("Succeeded").asInt());
            assertEquals(List.of(List.of("Service"), List.of("Service", "Model", "Resolution")), dimensionSets(succeeded, "Succeeded"));
            assertEquals(List.of(), emf.documents("Failed", id));
        }
    }

    @Test
    void aFailedJobIsCountedByTheTypeOfItsFailure() {
        Job job = queuedJob(GEMINI_FLASH, "a fox [simulate:safety]", 1);

        try (EmfCapture emf = EmfCapture.start()) {
            deliver(job);

            JsonNode failed = single(emf.documents("Failed", job.id().value()));
            assertEquals("safety_block", failed.path("Reason").asText());
            assertEquals(List.of(List.of("Service"), List.of("Service", "Reason")), dimensionSets(failed, "Failed"));
            assertEquals(List.of(), emf.documents("Succeeded", job.id().value()));
        }
    }

    @Test
    void everyLogLineAboutAJobIsJsonWithItsIdAndWithoutItsPrompt() throws IOException {
        String prompt = "a secret lighthouse at dusk";
        Job job = queuedJob(GEMINI_FLASH, prompt, 1);

        List<JsonNode> aboutTheJob = new ArrayList<>();
        try (ConsoleLogCapture log = ConsoleLogCapture.start()) {
            deliver(job);

            for (String line : log.lines()) {
                assertFalse(line.contains(prompt), "the prompt is never logged: " + line);
                if (line.contains(job.id().value())) {
                    aboutTheJob.add(JSON.readTree(line));
                }
            }
        }
        assertFalse(aboutTheJob.isEmpty(), "the worker logs what became of the job");
        for (JsonNode line : aboutTheJob) {
            assertEquals(job.id().value(), line.path("mdc").path("jobId").asText(), line::toString);
            assertTrue(line.path("message").isTextual() && line.path("level").isTextual(), line::toString);
        }
    }

    private static void deliver(Job job) {
        given().contentType(ContentType.JSON).body(event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "1")))
                .when().post()
                .then().statusCode(200)
                .body("batchItemFailures", empty());
    }

    private static JsonNode single(List<JsonNode> documents) {
        assertEquals(1, documents.size(), documents::toString);
        return documents.get(0);
    }
}
