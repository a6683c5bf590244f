package dev.pacer.worker;

import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.core.job.JobId;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.testsupport.EventFixtures.event;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scheduled release of parked jobs: POSTs EventBridge's scheduled event to the mock event server, against moto. */
@QuarkusTest
@TestProfile(ReleaseParkedJobsHandlerTest.ReleaseHandler.class)
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
class ReleaseParkedJobsHandlerTest {

    public static class ReleaseHandler implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "release-parked-jobs");
        }
    }

    @Test
    void jobsDueWithinTheLongestSqsDelayGoBackOnTheQueueAndLaterOnesStayParked() throws IOException {
        DynamoDbParkedJobs parked = new DynamoDbParkedJobs(MotoTestResource.clients().dynamoDb(),
                MotoTestResource.resources().physicalId("QuotaTable"));
        JobId due = JobId.random();
        JobId tomorrow = JobId.random();
        parked.park(due, Instant.now().plusSeconds(2));
        parked.park(tomorrow, Instant.now().plus(Duration.ofHours(20)));

        given().contentType(ContentType.JSON).body(event("scheduled.json", Map.of())).when().post().then().statusCode(200);

        String queueUrl = MotoTestResource.resources().physicalId("JobsQueue");
        List<Optional<JobId>> released = MotoTestResource.clients().sqs()
                .receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(5)).messages().stream()
                .map(message -> JobMessage.parse(message.body())).toList();
        assertEquals(List.of(Optional.of(due)), released, "the due job is back on the queue, delayed to its release time");
        assertEquals(List.of(tomorrow), parked.dueBy(Instant.now().plus(Duration.ofDays(2)), 10).stream()
                .map(DynamoDbParkedJobs.Parked::id).toList(), "the later job stays parked");
    }
}
