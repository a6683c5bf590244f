package dev.pacer.intake;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-caller cap, with a cap of 3: a caller with three jobs not yet finished gets a 429 problem with Retry-After,
 * others do not, and a job that ends (cancelled or failed) makes room.
 */
@QuarkusTest
@TestProfile(CallerCapResourceTest.CapOfThree.class)
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class CallerCapResourceTest {

    public static class CapOfThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pacer.callers.max-unfinished-jobs", "3", "pacer.callers.retry-after", "PT45S");
        }
    }

    @Test
    void aCallerAtTheCapGetsA429WithRetryAfterUntilOneOfItsJobsEnds() {
        List<String> alices = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            alices.add(submit("capped-alice").then().statusCode(202).extract().path("id"));
        }

        submit("capped-alice").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "45")
                .body("type", equalTo("urn:pacer:problem:too-many-unfinished-jobs"))
                .body("status", equalTo(429))
                .body("detail", containsString("3 jobs not yet finished"));
        submit("capped-bob").then().statusCode(202);

        given().header("x-pacer-caller", "capped-alice").when().delete("/v1/generations/" + alices.get(0)).then().statusCode(200);
        submit("capped-alice").then().statusCode(202);
        submit("capped-alice").then().statusCode(429);

        jobs().markFailed(new JobId(alices.get(1)), new JobError("safety_block", "IMAGE_SAFETY"), Instant.now());
        submit("capped-alice").then().statusCode(202);
    }

    @Test
    void aBadRequestAtTheCapIsStillABadRequest() {
        for (int n = 0; n < 3; n++) {
            submit("capped-carol").then().statusCode(202);
        }

        given().contentType(ContentType.JSON).header("x-pacer-caller", "capped-carol").body("{\"prompt\":\"a fox\",\"count\":9}")
                .when().post("/v1/generations")
                .then().statusCode(400).body("field", equalTo("count"));
        assertEquals(3, jobs().unfinished("capped-carol", 10));
    }

    private static Response submit(String caller) {
        return given().contentType(ContentType.JSON).header("x-pacer-caller", caller).body("{\"prompt\":\"a fox\"}")
                .when().post("/v1/generations");
    }

    private static DynamoDbJobStore jobs() {
        return new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("JobsTable"),
                Duration.ofDays(1));
    }
}
