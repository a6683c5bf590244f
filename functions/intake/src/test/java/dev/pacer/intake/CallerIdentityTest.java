package dev.pacer.intake;

import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static dev.pacer.testsupport.EventFixtures.event;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who owns a job when API Gateway authenticated the caller: raw payload-2.0 events (fixtures under
 * src/test/resources/events/, as the deployed API sends them) go to the mock event server's /_lambda_ endpoint
 * with the authorizer context a JWT or an IAM route fills in. Both also carry the local-caller header, which the
 * test profile honours but an authorizer's identity must win over.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class CallerIdentityTest {

    private static final String TOKEN_SUBJECT = "7c1e4d9a-0b2f-4f3a-9d6e-1a2b3c4d5e6f";

    @Test
    void aJwtCallersJobBelongsToTheTokensSubject() {
        String id = submit("post-generation-jwt.json");

        assertEquals(TOKEN_SUBJECT, ownerOf(id));
    }

    @Test
    void anIamCallersJobBelongsToTheirArn() {
        String id = submit("post-generation-iam.json");

        assertEquals("arn:aws:iam::111122223333:user/batch-runner", ownerOf(id));
    }

    @Test
    void onlyATokenWithTheSameSubjectSeesTheJob() {
        String id = submit("post-generation-jwt.json");

        invoke(event("get-generation-jwt.json", Map.of("jobId", id, "subject", TOKEN_SUBJECT)))
                .body("statusCode", equalTo(200));
        invoke(event("get-generation-jwt.json", Map.of("jobId", id, "subject", "someone-else")))
                .body("statusCode", equalTo(404));
    }

    private static String submit(String fixture) {
        String body = invoke(event(fixture, Map.of())).body("statusCode", equalTo(202)).extract().path("body");
        return JsonPath.from(body).getString("id");
    }

    /** The function's raw payload-2.0 response to the raw event. */
    private static io.restassured.response.ValidatableResponse invoke(String event) {
        return given().contentType(ContentType.JSON).body(event).when().post("/_lambda_").then().statusCode(200);
    }

    private static String ownerOf(String jobId) {
        Map<String, AttributeValue> item = MotoTestResource.clients().dynamoDb().getItem(get -> get
                .tableName(MotoTestResource.resources().physicalId("JobsTable"))
                .key(Map.of("id", AttributeValue.fromS(jobId)))).item();
        return item.get("owner").s();
    }
}
