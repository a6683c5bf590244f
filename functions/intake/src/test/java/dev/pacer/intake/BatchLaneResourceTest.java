package dev.pacer.intake;

import dev.pacer.aws.dynamodb.DynamoDbBatchStore;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.job.JobId;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Asking for a lane over HTTP, with the intake's own role: sync by default, batch and auto by the deadline, bad values
 * refused as problems, and GET showing the lane, why, and a batched job's provider batch.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class BatchLaneResourceTest {

    private static Response submit(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/generations");
    }

    private static String deadlineIn(Duration from) {
        return Instant.now().plus(from).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Test
    void withoutALaneAJobRunsOnTheSyncLaneAsBefore() {
        String id = submit("{\"prompt\":\"a fox\"}").then().statusCode(202).body("lane", equalTo("sync")).extract().path("id");

        given().when().get("/v1/generations/" + id).then().statusCode(200)
                .body("lane", equalTo("sync"))
                .body("laneReason", equalTo("the default lane"));
    }

    @Test
    void aBatchLaneJobWaitsQueuedInTheStoreForTheCollector() {
        String id = submit("{\"prompt\":\"a fox\",\"lane\":\"batch\"}").then().statusCode(202)
                .body("status", equalTo("QUEUED")).body("lane", equalTo("batch")).extract().path("id");

        given().when().get("/v1/generations/" + id).then().statusCode(200)
                .body("lane", equalTo("batch"))
                .body("laneReason", equalTo("asked for the batch lane"));
        String model = jobs().find(new JobId(id)).orElseThrow().request().model();
        assertTrue(jobs().waitingForBatch(model, 10_000).stream().anyMatch(job -> job.id().value().equals(id)));
    }

    @Test
    void autoPicksTheBatchLaneForARoomyDeadlineAndTheSyncLaneForATightOne() {
        submit("{\"prompt\":\"a fox\",\"lane\":\"auto\",\"deadline\":\"" + deadlineIn(Duration.ofHours(36)) + "\"}").then().statusCode(202)
                .body("lane", equalTo("batch"));
        String tight = submit("{\"prompt\":\"a fox\",\"lane\":\"auto\",\"deadline\":\"" + deadlineIn(Duration.ofHours(3)) + "\"}")
                .then().statusCode(202).body("lane", equalTo("sync")).extract().path("id");

        given().when().get("/v1/generations/" + tight).then().statusCode(200)
                .body("laneReason", startsWith("auto: the deadline leaves 2 h 59 min, less than the batch lane's 26 h"));
    }

    @Test
    void aBadLaneIsAProblemNamingTheField() {
        submit("{\"prompt\":\"a fox\",\"lane\":\"overnight\"}").then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("lane"))
                .body("detail", containsString("\"sync\", \"batch\" or \"auto\""));
        submit("{\"prompt\":\"a fox\",\"lane\":7}").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theBatchLaneIsRefusedForAModelWithoutOne() {
        submit("{\"prompt\":\"a fox\",\"model\":\"amazon.nova-canvas-v1:0\",\"lane\":\"batch\"}").then().statusCode(400)
                .body("field", equalTo("lane"))
                .body("detail", containsString("has no batch lane"));
        submit("{\"prompt\":\"a fox\",\"model\":\"amazon.nova-canvas-v1:0\",\"lane\":\"auto\"}").then().statusCode(202)
                .body("lane", equalTo("sync"));
    }

    @Test
    void aBatchedJobShowsItsProviderBatchAndItsState() {
        String id = submit("{\"prompt\":\"a fox\",\"lane\":\"batch\"}").then().statusCode(202).extract().path("id");
        String batchId = UUID.randomUUID().toString();
        BatchRecord intent = BatchRecord.intended(batchId, "simulated", "gemini-3.1-flash-image", List.of(id), Instant.now());
        batches().create(intent);
        jobs().batch(new JobId(id), batchId, Instant.now()).orElseThrow();
        batches().opened(batchId, new ProviderBatch("batches/42", intent.displayName(), BatchState.RUNNING, 1, 0, 0), List.of(id));

        given().when().get("/v1/generations/" + id).then().statusCode(200)
                .body("status", equalTo("BATCHED"))
                .body("batch.id", equalTo(batchId))
                .body("batch.name", equalTo("batches/42"))
                .body("batch.state", equalTo("RUNNING"));
        // its line is with the provider: a cancel cannot take it back, and says so as for a running job
        given().when().delete("/v1/generations/" + id).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("BATCHED"));
        assertEquals("BATCHED", jobs().find(new JobId(id)).orElseThrow().status().name());
    }

    private static DynamoDbJobStore jobs() {
        return new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("JobsTable"),
                Duration.ofDays(30));
    }

    private static DynamoDbBatchStore batches() {
        return new DynamoDbBatchStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("BatchesTable"),
                Duration.ofDays(30));
    }
}
