package dev.pacer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.providers.fake.FakeProviderServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The intake and the worker read one pool from one environment: here a Gemini key and no pool file, so both must see
 * the key's account (the intake once reported the simulated account while the worker reserved on the key's).
 */
class OnePoolEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ACCOUNT = "project-from-the-environment";

    private static FakeProviderServer gemini;
    private static LocalRun localRun;

    @BeforeAll
    static void start() {
        gemini = FakeProviderServer.start();
        localRun = LocalRun.start(LocalRunOptions.forTests()
                .withEnvironment("PACER_GEMINI_API_KEY", "key-from-the-environment")
                .withEnvironment("PACER_GEMINI_BASE_URL", gemini.baseUrl().toString())
                .withEnvironment("PACER_GEMINI_ACCOUNT", ACCOUNT));
    }

    @AfterAll
    static void stop() {
        if (localRun != null) {
            localRun.close();
        }
        if (gemini != null) {
            gemini.close();
        }
    }

    @Test
    void getQuotaReportsTheAccountTheWorkerReservesOn() throws Exception {
        String model = ModelCatalogs.bundled().defaultModel().id();
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a lighthouse at dawn\",\"model\":\"" + model + "\"}")));
        assertEquals(202, accepted.statusCode(), accepted::body);
        String id = JSON.readTree(accepted.body()).get("id").asText();

        JsonNode done = awaitTerminal(id, Duration.ofSeconds(60));
        assertEquals("SUCCEEDED", done.get("status").asText(), done::toString);
        String reservedOn = done.get("account").asText();

        JsonNode quota = JSON.readTree(send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/quota")).GET()).body());
        List<String> reported = new ArrayList<>();
        for (JsonNode entry : quota.get("accounts")) {
            if (entry.get("model").asText().equals(model)) {
                reported.add(entry.get("account").asText());
                assertEquals(1, entry.get("used").get("requestsToday").asInt(), "GET /v1/quota counts the worker's call: " + entry);
            }
        }
        assertEquals(ACCOUNT, reservedOn, "the worker reserved on the key's account");
        assertEquals(List.of(reservedOn), reported, "GET /v1/quota reports the account the worker reserved on");
        assertEquals("key-from-the-environment", gemini.received().get(0).header("x-goog-api-key"));
    }

    private static JsonNode awaitTerminal(String id, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode job = JSON.readTree(send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations/" + id)).GET()).body());
            String status = job.get("status").asText();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || Instant.now().isAfter(deadline)) {
                return job;
            }
            Thread.sleep(200);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
