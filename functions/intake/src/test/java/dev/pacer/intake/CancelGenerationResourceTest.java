package dev.pacer.intake;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DELETE /v1/generations/{id}: the owner cancels a job that has not started; a running or finished one answers 409. */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class CancelGenerationResourceTest {

    @Test
    void aQueuedJobIsCancelledAnsweringTheJobAndStaysCancelled() {
        String id = submit("alice", "{\"prompt\":\"a fox to cancel\"}");

        given().header("x-pacer-caller", "alice").when().delete("/v1/generations/" + id)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("status", equalTo("CANCELLED"))
                .body("finishedAt", notNullValue());

        given().header("x-pacer-caller", "alice").when().get("/v1/generations/" + id)
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().header("x-pacer-caller", "alice").when().delete("/v1/generations/" + id)
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        assertEquals(JobStatus.CANCELLED, jobs().find(new JobId(id)).orElseThrow().status());
    }

    @Test
    void onlyTheOwnerMayCancelAJob() {
        String id = submit("alice", "{\"prompt\":\"alice's fox\"}");

        given().header("x-pacer-caller", "mallory").when().delete("/v1/generations/" + id)
                .then().statusCode(404).contentType("application/problem+json");

        assertEquals(JobStatus.QUEUED, jobs().find(new JobId(id)).orElseThrow().status());
    }

    @Test
    void aRunningJobAnswers409AndIsMarkedNotToBeTriedAgain() {
        Job job = stored("alice");
        jobs().claim(job.id(), Instant.now(), Instant.now().plusSeconds(780)).orElseThrow();

        given().header("x-pacer-caller", "alice").when().delete("/v1/generations/" + job.id())
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:pacer:problem:job-running"))
                .body("detail", containsString("will not be tried again"));

        given().header("x-pacer-caller", "alice").when().get("/v1/generations/" + job.id())
                .then().statusCode(200)
                .body("status", equalTo("RUNNING"))
                .body("cancelRequestedAt", notNullValue());
        assertTrue(jobs().find(job.id()).orElseThrow().cancelRequestedAt().isPresent());
    }

    @Test
    void aFinishedJobAnswers409AndStaysAsItIs() {
        Job job = stored("alice");
        jobs().markFailed(job.id(), new JobError("safety_block", "IMAGE_SAFETY"), Instant.now());

        given().header("x-pacer-caller", "alice").when().delete("/v1/generations/" + job.id())
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:pacer:problem:job-finished"))
                .body("detail", containsString("FAILED"));

        assertEquals(JobStatus.FAILED, jobs().find(job.id()).orElseThrow().status());
    }

    @Test
    void aCancelledJobWithACallbackUrlIsNoticedForItsCallback() {
        String id = submit("alice", "{\"prompt\":\"a fox\",\"callbackUrl\":\"http://127.0.0.1:9/hooks/pacer\"}");

        given().header("x-pacer-caller", "alice").when().delete("/v1/generations/" + id).then().statusCode(200);

        assertTrue(noticed(new JobId(id)), "a message on the callbacks queue names the job");
    }

    @Test
    void aMalformedIdIsABadRequest() {
        given().header("x-pacer-caller", "alice").when().delete("/v1/generations/not-a-job")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("id"));
    }

    private static String submit(String caller, String body) {
        return given().contentType(ContentType.JSON).header("x-pacer-caller", caller).body(body)
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");
    }

    private static Job stored(String owner) {
        Job job = Job.queued(JobId.random(), owner, new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K,
                "1:1", 1, Map.of()), Instant.now());
        jobs().create(job);
        return job;
    }

    private static DynamoDbJobStore jobs() {
        return new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("JobsTable"),
                Duration.ofDays(1));
    }

    private static boolean noticed(JobId id) {
        String url = MotoTestResource.resources().physicalId("CallbacksQueue");
        for (int poll = 0; poll < 5; poll++) {
            boolean found = MotoTestResource.clients().sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages().stream().anyMatch(m -> JobMessage.parse(m.body()).equals(Optional.of(id)));
            if (found) {
                return true;
            }
        }
        return false;
    }
}
