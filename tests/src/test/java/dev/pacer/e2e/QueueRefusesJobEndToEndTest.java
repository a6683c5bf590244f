package dev.pacer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.localrun.moto.AwsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local run with IAM enforced and a jobs queue the functions cannot send to: the intake, with only its role's
 * actions, must still record a job it could not queue as FAILED, so the job is not left QUEUED with no message
 * behind it and the client's retry is answered with the failure.
 */
class QueueRefusesJobEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalRun localRun;
    private static AwsClients aws;

    @BeforeAll
    static void startWithAQueueThatDoesNotExist() {
        localRun = LocalRun.start(LocalRunOptions.forTests()
                .withEnvironment("PACER_JOBS_QUEUE_URL", "http://127.0.0.1:1/123456789012/pacer-local-NoSuchQueue"));
        aws = localRun.awsClients();
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
        if (localRun != null) {
            localRun.close();
        }
    }

    @Test
    void aJobTheQueueRefusesEndsFailedAndTheRetryWithItsKeyIsAnsweredWithThatJob() throws Exception {
        String body = "{\"prompt\":\"a fox the queue refuses\"}";
        HttpResponse<String> refused = post(body, "queue-refuses-1");
        assertEquals(500, refused.statusCode(), refused::body);

        HttpResponse<String> retried = post(body, "queue-refuses-1");
        assertEquals(202, retried.statusCode(), retried::body);
        assertEquals("true", retried.headers().firstValue("Idempotent-Replayed").orElse(""));
        JsonNode replayed = JSON.readTree(retried.body());
        assertEquals("FAILED", replayed.get("status").asText(), "the intake recorded the failure: " + replayed);

        String id = replayed.get("id").asText();
        JsonNode job = JSON.readTree(HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("FAILED", job.get("status").asText(), job::toString);
        assertEquals("enqueue_failed", job.get("error").get("type").asText(), job::toString);
        assertTrue(job.get("error").get("message").asText().contains("new Idempotency-Key"), job::toString);
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(get -> get.tableName(localRun.resources().physicalId("JobsTable"))
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        assertEquals("FAILED", item.get("status").s());
    }

    @Test
    void theIntakesIdentityIsDeniedWhatItsRoleDoesNotAllow() {
        try (DynamoDbClient intake = AwsClients.dynamoDb(localRun.motoEndpoint(), localRun.functionKey("IntakeFunction"))) {
            AwsServiceException denied = assertThrows(AwsServiceException.class, () -> intake.deleteItem(delete -> delete
                    .tableName(localRun.resources().physicalId("JobsTable")).key(Map.of("id", AttributeValue.fromS("any")))));

            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode(), denied::toString);
            assertTrue(denied.getMessage().contains("IntakeFunction is not authorized to perform: dynamodb:DeleteItem"), denied::getMessage);
        }
    }

    private static HttpResponse<String> post(String json, String idempotencyKey) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
