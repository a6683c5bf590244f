package dev.pacer.intake;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.priming.SdkPriming;
import dev.pacer.runtime.PrimeOnStart;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class GenerationsResourceTest {

    @Inject
    PrimeOnStart priming;

    @Test
    void startUpPrimedTheSdkCallsOfASubmissionAndTheFirstSubmissionStillReachesDynamoDbAndSqs() {
        SdkPriming.Report report = priming.report().orElseThrow();

        assertTrue(report.allPrimed(), report.toString());
        assertEquals(List.of("JobStore.createIdempotently", "JobStore.create", "JobStore.find", "JobQueue.enqueue"), report.calls());
        // priming used its own in-process clients: the real ones still reach moto
        String id = given().contentType(ContentType.JSON).header("Idempotency-Key", "priming-test")
                .body("{\"prompt\":\"a lighthouse at dawn\"}")
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");
        given().when().get("/v1/generations/" + id).then().statusCode(200).body("status", equalTo("QUEUED"));
    }

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void theApplicationSignsWithTheIntakesRoleWhichMayNotDeleteJobs() {
        AwsServiceException denied = assertThrows(AwsServiceException.class, () -> dynamoDb.deleteItem(delete -> delete
                .tableName(MotoTestResource.resources().physicalId("JobsTable")).key(Map.of("id", AttributeValue.fromS("any")))));

        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode(), denied::toString);
        assertTrue(denied.getMessage().contains("pacer-local-IntakeFunction is not authorized to perform: dynamodb:DeleteItem"),
                denied::getMessage);
    }

    @Test
    void acceptsAPromptRecordsItQueuedAndEnqueuesIt() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"a red fox in snow\",\"resolution\":\"2K\",\"aspectRatio\":\"16:9\",\"metadata\":{\"batch\":\"b1\"}}")
                .when().post("/v1/generations")
                .then().statusCode(202)
                .contentType(ContentType.JSON)
                .header("Location", containsString("/v1/generations/"))
                .body("status", equalTo("QUEUED"))
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .extract().path("id");

        Map<String, AttributeValue> item = MotoTestResource.clients().dynamoDb().getItem(get -> get
                .tableName(MotoTestResource.resources().physicalId("JobsTable"))
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        assertEquals("QUEUED", item.get("status").s());
        assertEquals("2K", item.get("resolution").s());
        assertTrue(queuedMessages().stream().anyMatch(body -> body.contains(id)), "a message names the job");

        given().when().get("/v1/generations/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("QUEUED"))
                .body("model", equalTo("gemini-3.1-flash-image"))
                .body("resolution", equalTo("2K"))
                .body("aspectRatio", equalTo("16:9"))
                .body("count", equalTo(1))
                .body("attempts", equalTo(0))
                .body("metadata.batch", equalTo("b1"))
                .body("createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"));
    }

    @Test
    void aCallbackUrlIsStoredWithTheJobAndShownWithItsDeliveryState() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"a fox\",\"callbackUrl\":\"https://hooks.example.com/pacer?batch=7\"}")
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");

        Map<String, AttributeValue> item = MotoTestResource.clients().dynamoDb().getItem(get -> get
                .tableName(MotoTestResource.resources().physicalId("JobsTable"))
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        assertEquals("https://hooks.example.com/pacer?batch=7", item.get("callback").m().get("url").s());
        given().when().get("/v1/generations/" + id)
                .then().statusCode(200)
                .body("callback.url", equalTo("https://hooks.example.com/pacer?batch=7"))
                .body("callback.attempts", equalTo(0));

        String plain = given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\"}")
                .when().post("/v1/generations").then().statusCode(202).extract().path("id");
        given().when().get("/v1/generations/" + plain).then().statusCode(200).body("$", not(hasKey("callback")));
    }

    @Test
    void aDeadlineIsStoredWithTheJobAndShownAsTheInstantItNames() {
        Instant deadline = Instant.now().plus(Duration.ofHours(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String id = given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"a fox\",\"deadline\":\"" + rfc3339(deadline, 2) + "\"}")
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");

        Map<String, AttributeValue> item = MotoTestResource.clients().dynamoDb().getItem(get -> get
                .tableName(MotoTestResource.resources().physicalId("JobsTable"))
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        assertEquals(deadline.toString(), item.get("deadline").s(), "kept as the instant, in UTC");
        given().when().get("/v1/generations/" + id)
                .then().statusCode(200)
                .body("deadline", equalTo(deadline.toString()));

        String plain = given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\"}")
                .when().post("/v1/generations").then().statusCode(202).extract().path("id");
        given().when().get("/v1/generations/" + plain).then().statusCode(200).body("$", not(hasKey("deadline")));
    }

    @Test
    void anIdempotencyKeyNamesItsDeadlineTooHoweverItIsWritten() {
        Instant deadline = Instant.now().plus(Duration.ofHours(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", "key-with-deadline")
                .body("{\"prompt\":\"a fox\",\"deadline\":\"" + deadline + "\"}")
                .when().post("/v1/generations").then().statusCode(202).extract().path("id");

        String again = given().contentType(ContentType.JSON).header("Idempotency-Key", "key-with-deadline")
                .body("{\"prompt\":\"a fox\",\"deadline\":\"" + rfc3339(deadline, -5) + "\"}")
                .when().post("/v1/generations").then().statusCode(202).header("Idempotent-Replayed", "true").extract().path("id");
        assertEquals(first, again, "the same instant at another offset is the same request");

        given().contentType(ContentType.JSON).header("Idempotency-Key", "key-with-deadline")
                .body("{\"prompt\":\"a fox\",\"deadline\":\"" + deadline.plusSeconds(60) + "\"}")
                .when().post("/v1/generations")
                .then().statusCode(422)
                .body("field", equalTo("Idempotency-Key"));
    }

    /** {@code instant} as RFC 3339 at an offset of {@code hours}, seconds always written. */
    private static String rfc3339(Instant instant, int hours) {
        return java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").format(instant.atOffset(java.time.ZoneOffset.ofHours(hours)));
    }

    @Test
    void theSameIdempotencyKeyWithAnotherCallbackUrlIsAProblem() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "key-with-callback")
                .body("{\"prompt\":\"a fox\",\"callbackUrl\":\"https://hooks.example.com/a\"}")
                .when().post("/v1/generations").then().statusCode(202);

        given().contentType(ContentType.JSON).header("Idempotency-Key", "key-with-callback")
                .body("{\"prompt\":\"a fox\",\"callbackUrl\":\"https://hooks.example.com/b\"}")
                .when().post("/v1/generations")
                .then().statusCode(422)
                .body("field", equalTo("Idempotency-Key"));
    }

    @Test
    void aCallerCannotSeeSomeoneElsesJob() {
        String id = given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"prompt\":\"alice's fox\"}")
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");

        given().header("x-pacer-caller", "alice").when().get("/v1/generations/" + id).then().statusCode(200);
        given().header("x-pacer-caller", "bob").when().get("/v1/generations/" + id)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theSameIdempotencyKeyAndBodyReturnTheSameJob() {
        String body = "{\"prompt\":\"a fox\",\"count\":2}";
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", "batch-7:item-1").body(body)
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");

        String again = given().contentType(ContentType.JSON).header("Idempotency-Key", "batch-7:item-1")
                .body("{ \"count\": 2, \"prompt\": \"a fox\" }")
                .when().post("/v1/generations")
                .then().statusCode(202).header("Idempotent-Replayed", "true").extract().path("id");

        assertEquals(first, again);
    }

    @Test
    void aRetryOfAJobLeftQueuedWithNoMessageBehindItQueuesItAgain() {
        String body = "{\"prompt\":\"a fox whose message was lost\"}";
        String id = given().contentType(ContentType.JSON).header("Idempotency-Key", "lost-message-1").body(body)
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");
        // as if the intake had stopped between recording the job and SendMessage
        assertEquals(1, deleteMessagesNaming(id));

        given().contentType(ContentType.JSON).header("Idempotency-Key", "lost-message-1").body(body)
                .when().post("/v1/generations")
                .then().statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(id)).body("status", equalTo("QUEUED"));

        assertEquals(1, deleteMessagesNaming(id), "queued again");
    }

    @Test
    void aRetryOfAJobAWorkerHasClaimedQueuesNothing() {
        String body = "{\"prompt\":\"a fox a worker took\"}";
        String id = given().contentType(ContentType.JSON).header("Idempotency-Key", "claimed-1").body(body)
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");
        assertEquals(1, deleteMessagesNaming(id));
        Instant now = Instant.now();
        new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("JobsTable"), Duration.ofDays(1))
                .claim(new JobId(id), now, now.plusSeconds(780)).orElseThrow();

        given().contentType(ContentType.JSON).header("Idempotency-Key", "claimed-1").body(body)
                .when().post("/v1/generations")
                .then().statusCode(202).header("Idempotent-Replayed", "true").body("status", equalTo("RUNNING"));

        assertEquals(0, deleteMessagesNaming(id), "the worker's claim shows a message reached it");
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIsAProblem() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "key-for-a-fox").body("{\"prompt\":\"a fox\"}")
                .when().post("/v1/generations").then().statusCode(202);

        given().contentType(ContentType.JSON).header("Idempotency-Key", "key-for-a-fox").body("{\"prompt\":\"a wolf\"}")
                .when().post("/v1/generations")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("Idempotency-Key"));
    }

    @Test
    void unknownIdIsANotFoundProblem() {
        given().when().get("/v1/generations/00000000-0000-4000-8000-000000000000")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("type", equalTo("urn:pacer:problem:not-found"));
    }

    @Test
    void anUnsupportedResolutionIsRefusedNamingWhatTheModelSupports() {
        given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"a fox\",\"model\":\"gemini-3-pro-image\",\"resolution\":\"0.5K\"}")
                .when().post("/v1/generations")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("supported: 1K, 2K, 4K"));
    }

    @Test
    void aRetiredModelIsRefusedNamingItsSuccessorAndTheDay() {
        given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"a fox\",\"model\":\"gemini-3-pro-image-preview\"}")
                .when().post("/v1/generations")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:pacer:problem:model-retired"))
                .body("field", equalTo("model"))
                .body("successor", equalTo("gemini-3-pro-image"))
                .body("retiredOn", equalTo("2026-06-25"))
                .body("detail", equalTo("model: gemini-3-pro-image-preview was retired on 2026-06-25; use gemini-3-pro-image instead"));
    }

    @Test
    void anAliasIsRecordedAsTheModelItStandsFor() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"a banana, nano\",\"model\":\"nano-banana-pro\",\"resolution\":\"4K\"}")
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");

        given().when().get("/v1/generations/" + id)
                .then().statusCode(200)
                .body("model", equalTo("gemini-3-pro-image"))
                .body("resolution", equalTo("4K"));
    }

    @Test
    void showsEveryProviderCallNextToTheAttemptsCount() {
        DynamoDbJobStore jobs = new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(),
                MotoTestResource.resources().physicalId("JobsTable"), Duration.ofDays(1));
        Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
        Job job = Job.queued(JobId.random(), CallerResolver.LOCAL_CALLER, new GenerationRequest("a fox", "gemini-3-pro-image", Resolution.FOUR_K, "1:1", 1, Map.of()), t0);
        jobs.create(job);
        jobs.claim(job.id(), t0, t0.plusSeconds(780));
        jobs.release(job.id(), new JobError("provider_timeout", "no answer within 600 s after sending"),
                List.of(new Attempt(1, "gemini", "project-a", "gemini-3-pro-image", t0, Duration.ofSeconds(600),
                        Attempt.Outcome.AMBIGUOUS, Optional.of("provider_timeout"), 0, Usage.NONE, new BigDecimal("0.24"))),
                t0.plusSeconds(600));
        jobs.claim(job.id(), t0.plusSeconds(700), t0.plusSeconds(1480));
        jobs.markSucceeded(job.id(), List.of(new StoredImage("generations/" + job.id() + "/0.jpg", "image/jpeg", 1234)), Optional.empty(),
                List.of(new Attempt(2, "gemini", "project-b", "gemini-3-pro-image", t0.plusSeconds(700),
                        Duration.ofMillis(95_250), Attempt.Outcome.GENERATED, Optional.empty(), 1, new Usage(9, 2000, 2321),
                        new BigDecimal("0.24"))),
                t0.plusSeconds(800));

        given().when().get("/v1/generations/" + job.id())
                .then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("attempts", equalTo(2))
                .body("account", equalTo("project-b"))
                .body("images[0].contentType", equalTo("image/jpeg"))
                .body("attemptLog.outcome", contains("AMBIGUOUS", "GENERATED"))
                .body("attemptLog[0].errorType", equalTo("provider_timeout"))
                .body("attemptLog[0].latencyMillis", equalTo(600_000))
                .body("attemptLog[1].account", equalTo("project-b"))
                .body("attemptLog[1].provider", equalTo("gemini"))
                .body("attemptLog[1].usage.totalTokens", equalTo(2321))
                .body("attemptLog[1].estimatedCostUsd", equalTo(0.24f));
    }

    @Test
    void aJobThatSucceededShortShowsItsImagesAndWhatIsMissingAndWhy() {
        DynamoDbJobStore jobs = new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(),
                MotoTestResource.resources().physicalId("JobsTable"), Duration.ofDays(1));
        Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
        Job job = Job.queued(JobId.random(), CallerResolver.LOCAL_CALLER, new GenerationRequest("three foxes", "gemini-3.1-flash-image",
                Resolution.ONE_K, "1:1", 3, Map.of()), t0);
        jobs.create(job);
        jobs.claim(job.id(), t0, t0.plusSeconds(780));
        jobs.markSucceeded(job.id(), List.of(new StoredImage("generations/" + job.id() + "/0.png", "image/png", 1234),
                        new StoredImage("generations/" + job.id() + "/1.png", "image/png", 1234)),
                Optional.of(new JobError("safety_block", "gemini 200 finishReason:IMAGE_SAFETY: no image (IMAGE_SAFETY)")), List.of(), t0.plusSeconds(20));

        given().when().get("/v1/generations/" + job.id())
                .then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("count", equalTo(3))
                .body("images.size()", equalTo(2))
                .body("shortfall.missing", equalTo(1))
                .body("shortfall.type", equalTo("safety_block"))
                .body("shortfall.message", containsString("IMAGE_SAFETY"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("error")));
    }

    /** Takes every message off the queue, deletes those naming the job, puts the others back; how many it deleted. */
    private static int deleteMessagesNaming(String id) {
        String url = MotoTestResource.resources().physicalId("JobsQueue");
        var sqs = MotoTestResource.clients().sqs();
        int deleted = 0;
        List<software.amazon.awssdk.services.sqs.model.Message> taken = new java.util.ArrayList<>();
        List<software.amazon.awssdk.services.sqs.model.Message> batch;
        do {
            batch = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(30)).messages();
            taken.addAll(batch);
        } while (!batch.isEmpty());
        for (var message : taken) {
            if (message.body().contains(id)) {
                sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(message.receiptHandle()));
                deleted++;
            } else {
                sqs.changeMessageVisibility(c -> c.queueUrl(url).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
            }
        }
        return deleted;
    }

    /** Every message now on the queue, read without consuming them (visibility 0). */
    private static java.util.List<String> queuedMessages() {
        String url = MotoTestResource.resources().physicalId("JobsQueue");
        String count = MotoTestResource.clients().sqs().getQueueAttributes(a -> a.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        java.util.List<String> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < Integer.parseInt(count); i += 10) {
            MotoTestResource.clients().sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
                    .messages().forEach(m -> bodies.add(m.body()));
        }
        return bodies;
    }
}
