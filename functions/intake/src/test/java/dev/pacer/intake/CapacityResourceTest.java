package dev.pacer.intake;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class CapacityResourceTest {

    @Test
    void plansTheSeedsTwentyOneKImagesAMinuteOnThePool() {
        // The local pool: one simulated account, 10,000 RPM / IPM, 10,000,000 RPD, serving every model.
        given().queryParam("model", "gemini-3.1-flash-image").queryParam("resolution", "1K").queryParam("imagesPerMinute", "20")
                .when().get("/v1/capacity")
                .then().statusCode(200)
                .body("model", equalTo("gemini-3.1-flash-image"))
                .body("resolution", equalTo("1K"))
                .body("imagesPerMinute", equalTo(20.0f))
                .body("latencySeconds", equalTo(13.0f))
                .body("latencySource", equalTo("seed"))
                .body("accounts", equalTo(1))
                .body("ceiling.imagesPerMinute", equalTo(6944.44f))
                .body("ceiling.imagesPerDay", equalTo(10_000_000))
                .body("ceiling.requestsPerMinute", equalTo(10_000))
                .body("ceiling.requestsPerDay", equalTo(10_000_000))
                .body("concurrencyNeeded", equalTo(5))
                .body("sqsMaximumConcurrency", equalTo(5))
                .body("requestsPerMinuteNeeded", equalTo(23.08f))
                .body("dailyQuotaRunsOutAt", nullValue())
                .body("costPerImage.provider", equalTo(0.0f))
                .body("costPerImage.aws", equalTo(0.000373f))
                .body("costPerImage.total", equalTo(0.000373f))
                // the simulated account has a batch mode: the same images on the batch lane, no worker blocked on them
                .body("batch.available", equalTo(true))
                .body("batch.accounts", equalTo(1))
                .body("batch.turnaroundHours", equalTo(26.0f))
                .body("batch.imagesPerDay", greaterThan(0))
                .body("batch.costPerImage.provider", equalTo(0.0f))
                .body("batch.costPerImage.aws", lessThan(0.000373f))
                .body("warnings", empty());
    }

    @Test
    void takesTheMedianOfRecentSuccessesOnceThereAreEnough() {
        var jobs = new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("JobsTable"),
                Duration.ofDays(1));
        Instant start = Instant.now().minusSeconds(3600);
        for (int seconds : List.of(44, 40, 38, 41, 39)) {
            Job job = Job.queued(JobId.random(), "alice",
                    new GenerationRequest("a fox", "gemini-3-pro-image", Resolution.TWO_K, "1:1", 1, Map.of()), start);
            jobs.create(job);
            jobs.claim(job.id(), start, start.plusSeconds(780));
            jobs.markSucceeded(job.id(), List.of(new StoredImage("generations/" + job.id() + "/0.png", "image/png", 6_000_000)),
                    Optional.empty(), List.of(), start.plusSeconds(seconds));
            start = start.plusSeconds(60);
        }

        given().queryParam("model", "gemini-3-pro-image").queryParam("resolution", "2K").queryParam("imagesPerMinute", "6")
                .when().get("/v1/capacity")
                .then().statusCode(200)
                .body("latencySeconds", equalTo(40.0f))
                .body("latencySource", equalTo("measured"))
                .body("concurrencyNeeded", equalTo(4))
                .body("sqsMaximumConcurrency", equalTo(4));
    }

    @Test
    void eachMissingOrBadParameterIsAProblemNamingIt() {
        problem(Map.of("resolution", "1K", "imagesPerMinute", "20"), "model");
        problem(Map.of("model", "dall-e-9", "resolution", "1K", "imagesPerMinute", "20"), "model");
        problem(Map.of("model", "gemini-3.1-flash-image", "imagesPerMinute", "20"), "resolution");
        problem(Map.of("model", "gpt-image-1.5", "resolution", "4K", "imagesPerMinute", "20"), "resolution");
        problem(Map.of("model", "gemini-3.1-flash-image", "resolution", "1K"), "imagesPerMinute");
        problem(Map.of("model", "gemini-3.1-flash-image", "resolution", "1K", "imagesPerMinute", "-3"), "imagesPerMinute");
        problem(Map.of("model", "gemini-3.1-flash-image", "resolution", "1K", "imagesPerMinute", "twenty"), "imagesPerMinute");
    }

    private static void problem(Map<String, String> query, String field) {
        given().queryParams(query)
                .when().get("/v1/capacity")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:pacer:problem:invalid-request"))
                .body("status", equalTo(400))
                .body("field", equalTo(field));
    }
}
