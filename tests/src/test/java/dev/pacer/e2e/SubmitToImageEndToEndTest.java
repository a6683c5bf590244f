package dev.pacer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.localrun.CallbackReceiver;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.localrun.moto.AwsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton as a user meets it: the packaged intake and worker in the local run (moto,
 * the HTTP API, the SQS event source mapping), a prompt in over HTTP, a PNG out of a presigned URL.
 */
class SubmitToImageEndToEndTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalRun localRun;
    private static AwsClients aws;

    @BeforeAll
    static void startLocalRun() {
        // a failed callback comes back after 1 s here, not the deployed 30 s
        localRun = LocalRun.start(LocalRunOptions.forTests().withLatencyFactor("0.05").withEnvironment("PACER_CALLBACKS_FIRST_BACKOFF", "PT1S"));
        aws = localRun.awsClients();
    }

    @AfterAll
    static void stopLocalRun() {
        if (aws != null) {
            aws.close();
        }
        if (localRun != null) {
            localRun.close();
        }
    }

    @Test
    void aPromptPostedOverHttpEndsSucceededWithADownloadablePngAndARecordInDynamoDb() throws Exception {
        HttpResponse<String> accepted = post("/v1/generations", "{\"prompt\":\"a red fox in fresh snow\",\"count\":2}");
        assertEquals(202, accepted.statusCode(), accepted::body);
        JsonNode body = JSON.readTree(accepted.body());
        String id = body.get("id").asText();
        assertEquals("QUEUED", body.get("status").asText());
        assertEquals("/v1/generations/" + id, body.get("links").get("self").asText());

        JsonNode done = awaitTerminal(id, Duration.ofSeconds(60));

        assertEquals("SUCCEEDED", done.get("status").asText(), done::toString);
        assertEquals(2, done.get("images").size());
        for (JsonNode image : done.get("images")) {
            HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(image.get("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, download.statusCode());
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(download.body(), 8));
            assertEquals(image.get("bytes").asLong(), download.body().length);
            assertTrue(image.get("key").asText().startsWith("generations/" + id + "/"));
        }

        Map<String, AttributeValue> item = aws.dynamoDb().getItem(get -> get
                .tableName(localRun.resources().physicalId("JobsTable"))
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        assertEquals("SUCCEEDED", item.get("status").s());
        assertEquals(2, item.get("images").l().size());
        assertEquals("1", item.get("attempts").n());
        assertTrue(item.containsKey("expiresAt"), "TTL attribute set");
    }

    @Test
    void aJobWithACallbackUrlIsPostedToItSignedOnceItFinishesAndGetShowsTheDelivery() throws Exception {
        // the receiver fails the first POST: the delivery is retried after the backoff and then accepted
        try (CallbackReceiver receiver = CallbackReceiver.start(503, 200)) {
            HttpResponse<String> accepted = post("/v1/generations",
                    "{\"prompt\":\"a fox with a pager\",\"callbackUrl\":\"" + receiver.url("/hooks/pacer") + "\"}");
            assertEquals(202, accepted.statusCode(), accepted::body);
            String id = JSON.readTree(accepted.body()).get("id").asText();

            CallbackReceiver.Received failed = receiver.next(Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError("no callback"));
            assertEquals(503, failed.answeredWith());
            CallbackReceiver.Received delivered = receiver.next(Duration.ofSeconds(90)).orElseThrow(() -> new AssertionError("no retry"));

            assertEquals(200, delivered.answeredWith());
            assertTrue(delivered.signedWith(LocalRunOptions.LOCAL_CALLBACK_SIGNING_KEY), "signed with the local key");
            assertEquals(Optional.of(id), delivered.header("Pacer-Job-Id"));
            JsonNode body = JSON.readTree(delivered.body());
            assertEquals(id, body.get("id").asText());
            assertEquals("SUCCEEDED", body.get("status").asText());
            HttpResponse<byte[]> image = HTTP.send(HttpRequest.newBuilder(URI.create(body.get("images").get(0).get("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(image.body(), 8), "the callback's image URL downloads the PNG");

            JsonNode callback = awaitCallbackSettled(id, Duration.ofSeconds(10));
            assertEquals(2, callback.get("attempts").asInt(), callback::toString);
            assertEquals(200, callback.get("lastStatus").asInt());
            assertTrue(callback.has("deliveredAt"), callback::toString);
        }
    }

    @Test
    void aSafetyBlockedPromptEndsFailedWithTheReason() throws Exception {
        HttpResponse<String> accepted = post("/v1/generations", "{\"prompt\":\"a fox [simulate:safety]\"}");
        assertEquals(202, accepted.statusCode(), accepted::body);
        String id = JSON.readTree(accepted.body()).get("id").asText();

        JsonNode done = awaitTerminal(id, Duration.ofSeconds(60));

        assertEquals("FAILED", done.get("status").asText(), done::toString);
        assertEquals("safety_block", done.get("error").get("type").asText());
    }

    @Test
    void aJobWhoseMessageReachesTheDeadLetterQueueEndsFailedWithThatReason() throws Exception {
        // an overloaded provider keeps the job between attempts (QUEUED, retried with backoff) ...
        HttpResponse<String> accepted = post("/v1/generations", "{\"prompt\":\"a fox [simulate:unavailable]\"}");
        String id = JSON.readTree(accepted.body()).get("id").asText();
        awaitAttempts(id, 1, Duration.ofSeconds(30));

        // ... when SQS gives up on its message, as after repeated crashes, the dead-letter recorder ends it
        aws.sqs().sendMessage(send -> send.queueUrl(localRun.resources().physicalId("JobsDeadLetterQueue"))
                .messageBody("{\"jobId\":\"" + id + "\"}"));

        JsonNode done = awaitTerminal(id, Duration.ofSeconds(30));
        assertEquals("FAILED", done.get("status").asText(), done::toString);
        assertEquals("dead_lettered", done.get("error").get("type").asText(), done::toString);
    }

    @Test
    void badInputIsAProblemAndUnknownRoutesAreNotFound() throws Exception {
        HttpResponse<String> refused = post("/v1/generations", "{\"prompt\":\"a fox\",\"resolution\":\"8K\"}");
        assertEquals(400, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertEquals("resolution", JSON.readTree(refused.body()).get("field").asText());

        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v2/anything")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
    }

    /** The callback's state in GET once it is delivered or given up on (recorded just after the POST is answered). */
    private static JsonNode awaitCallbackSettled(String id, Duration within) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        JsonNode callback;
        do {
            callback = status(id).get("callback");
            if (callback.has("deliveredAt") || callback.has("gaveUpAt")) {
                return callback;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("job " + id + ": callback not settled within " + within + "; last: " + callback);
    }

    private static void awaitAttempts(String id, int attempts, Duration within) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (status(id).get("attempts").asInt() >= attempts) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " made fewer than " + attempts + " attempts within " + within);
    }

    private static JsonNode status(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitTerminal(String id, Duration within) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        JsonNode status;
        do {
            status = status(id);
            String value = status.get("status").asText();
            if (value.equals("SUCCEEDED") || value.equals("FAILED")) {
                return status;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("job " + id + " did not finish within " + within + "; last: " + status);
    }

    private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
