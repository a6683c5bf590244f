package dev.pacer.worker;

import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.testsupport.EventFixtures.event;
import static dev.pacer.worker.WorkerTestData.jobs;
import static dev.pacer.worker.WorkerTestData.queuedJob;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Accounts from src/test/resources/accounts-test.json: "one-a-minute" serves gemini-2.5 at 1 RPM and 3-pro at 1 RPD,
 * "one-a-minute-for-deadlines" gpt-image-1 at 1 RPM.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
class QuotaWaitingTest {

    @Test
    void aJobWithNoQuotaLeftWaitsAcknowledgedAndComesBackAsADelayedMessage() {
        Job first = queuedJob("gemini-2.5-flash-image", "a quiet harbour", 1);
        Job second = queuedJob("gemini-2.5-flash-image", "a quiet harbour", 1);
        int before = queued("ApproximateNumberOfMessagesDelayed");

        deliver(first).body("batchItemFailures", empty());
        deliver(second).body("batchItemFailures", empty());

        assertEquals(JobStatus.SUCCEEDED, jobs().find(first.id()).orElseThrow().status());
        assertEquals(java.util.Optional.of("one-a-minute"), jobs().find(first.id()).orElseThrow().account());
        Job waiting = jobs().find(second.id()).orElseThrow();
        assertEquals(JobStatus.WAITING_FOR_QUOTA, waiting.status());
        assertEquals(0, waiting.attempts(), "waiting did not use up an attempt");
        assertEquals(before + 1, queued("ApproximateNumberOfMessagesDelayed"), "a delayed message brings it back");
    }

    @Test
    void aJobWhoseProviderDayIsUsedUpIsParkedUntilTheDayTurnsInsteadOfSpinning() {
        ZoneId utc = ZoneId.of("UTC"); // the simulated provider's day; Gemini's would be America/Los_Angeles
        Instant dayTurns = LocalDate.now(utc).plusDays(1).atStartOfDay(utc).toInstant();
        Duration untilDayTurns = Duration.between(Instant.now(), dayTurns);
        // Within a minute of the limit either answer is right, and within a minute of midnight the day may turn
        // between the two deliveries: this test says nothing then.
        assumeTrue(untilDayTurns.minus(SqsJobQueue.MAX_DELAY).abs().compareTo(Duration.ofMinutes(1)) > 0
                && untilDayTurns.compareTo(Duration.ofMinutes(1)) > 0, "too close to a boundary: " + untilDayTurns);
        Job first = queuedJob("gemini-3-pro-image", "a quiet harbour", 1);
        Job second = queuedJob("gemini-3-pro-image", "a quiet harbour", 1);
        int delayedBefore = queued("ApproximateNumberOfMessagesDelayed");

        deliver(first).body("batchItemFailures", empty());
        deliver(second).body("batchItemFailures", empty());

        assertEquals(JobStatus.WAITING_FOR_QUOTA, jobs().find(second.id()).orElseThrow().status());
        List<Map<String, AttributeValue>> parked = MotoTestResource.clients().dynamoDb().query(q -> q
                .tableName(MotoTestResource.resources().physicalId("QuotaTable"))
                .keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("parked")))).items();
        Optional<Map<String, AttributeValue>> item = parked.stream().filter(i -> i.get("jobId").s().equals(second.id().value())).findFirst();
        if (untilDayTurns.compareTo(SqsJobQueue.MAX_DELAY) > 0) {
            assertEquals(dayTurns, Instant.parse(item.orElseThrow(() -> new AssertionError("the job is parked")).get("releaseAt").s()),
                    "released when the provider day turns");
        } else {
            // the last quarter of an hour before midnight: SQS can delay it until the day turns, nothing is parked
            assertEquals(Optional.empty(), item, "a wait SQS can delay is not parked");
            assertEquals(delayedBefore + 1, queued("ApproximateNumberOfMessagesDelayed"), "a delayed message brings it back");
        }
    }

    /** The worker's bound on waiting: a job's deadline, else PACER_MAX_QUOTA_WAIT (a week) after it was accepted. */
    @Test
    void aJobThatWouldWaitPastItsDeadlineOrTheLongestWaitEndsFailedInsteadOfWaiting() {
        deliver(queuedJob("gpt-image-1-mini", "the minute's one request", 1)).body("batchItemFailures", empty());
        Job dueSoon = Job.queued(JobId.random(), "alice", request(), Instant.now()).withDeadline(Instant.now().plusSeconds(20));
        Job acceptedLongAgo = Job.queued(JobId.random(), "alice", request(), Instant.now().minus(Duration.ofDays(8)));
        jobs().create(dueSoon);
        jobs().create(acceptedLongAgo);
        int delayedBefore = queued("ApproximateNumberOfMessagesDelayed");

        deliver(dueSoon).body("batchItemFailures", empty());
        deliver(acceptedLongAgo).body("batchItemFailures", empty());

        JobError dueSoonError = jobs().find(dueSoon.id()).orElseThrow().error().orElseThrow();
        assertEquals("quota_wait_exceeded", dueSoonError.type(), "the minute's window opens after its deadline: no point waiting");
        assertTrue(dueSoonError.message().contains("its deadline"), dueSoonError::message);
        Job tooOld = jobs().find(acceptedLongAgo.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, tooOld.status());
        assertTrue(tooOld.error().orElseThrow().message().contains("168 hours after it was accepted"), tooOld.error()::toString);
        assertEquals(delayedBefore, queued("ApproximateNumberOfMessagesDelayed"), "neither comes back");
    }

    private static GenerationRequest request() {
        return new GenerationRequest("a quiet harbour", "gpt-image-1-mini", Resolution.ONE_K, "1:1", 1, Map.of());
    }

    private static int queued(String attribute) {
        String url = MotoTestResource.resources().physicalId("JobsQueue");
        return Integer.parseInt(MotoTestResource.clients().sqs().getQueueAttributes(a -> a.queueUrl(url)
                .attributeNames(QueueAttributeName.fromValue(attribute))).attributesAsStrings().get(attribute));
    }

    private static io.restassured.response.ValidatableResponse deliver(Job job) {
        return given().contentType(ContentType.JSON)
                .body(event("sqs-single.json", Map.of("jobId", job.id().value(), "receiveCount", "1")))
                .when().post()
                .then().statusCode(200);
    }
}
