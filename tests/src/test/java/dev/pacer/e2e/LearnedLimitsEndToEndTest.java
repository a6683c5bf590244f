package dev.pacer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.providers.fake.StrictProviderServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged functions in the local run against a strict Gemini and a strict OpenAI ({@link StrictProviderServer}:
 * their exact 429 bodies, OpenAI's rate-limit headers on every answer), each enforcing 12 requests a minute over
 * 10 s sub-windows too (at most 2 in any 10 s). The Gemini project declares exactly its 12 rpm, so pacer's bursts
 * meet the sub-window; the OpenAI organisation declares nothing. Every job must SUCCEED, the provider may say 429 only
 * while pacer learns, and GET /v1/quota must show what was stated and learned.
 */
class LearnedLimitsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROJECT = "project-strict";
    private static final String ORGANISATION = "org-strict";
    private static final int GEMINI_JOBS = 10;
    private static final int OPENAI_JOBS = 6;

    private static StrictProviderServer provider;
    private static LocalRun localRun;

    @BeforeAll
    static void start() throws Exception {
        provider = StrictProviderServer.start(key -> StrictProviderServer.Limit.overSubWindows(12, Duration.ofSeconds(10)),
                Duration.ofSeconds(60), Duration.ofMillis(200));
        Path pool = Files.createTempFile("pacer-strict-pool", ".json");
        Files.writeString(pool, """
                {"accounts": [
                  {"id": "%2$s", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"gemini-2.5-flash-image": {"rpm": 12, "ipm": 12, "rpd": 1000}}},
                  {"id": "%3$s", "provider": "openai", "baseUrl": "%1$s", "keyRef": "env:PACER_OPENAI_API_KEY",
                   "models": {"gpt-image-1.5": {}}}
                ]}
                """.formatted(provider.baseUrl(), PROJECT, ORGANISATION));
        pool.toFile().deleteOnExit();
        localRun = LocalRun.start(LocalRunOptions.forTests()
                .withWorkers(4)
                .withEnvironment("PACER_ACCOUNTS_FILE", pool.toAbsolutePath().toString())
                // the strict provider counts per key, as per project / organisation
                .withEnvironment("PACER_GEMINI_API_KEY", PROJECT)
                .withEnvironment("PACER_OPENAI_API_KEY", ORGANISATION));
    }

    @AfterAll
    static void stop() {
        if (localRun != null) {
            localRun.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void jobsOnAccountsThatEnforceSubWindowsOrDeclareNothingAllSucceedWithFew429sAndGetQuotaShowsWhatWasLearned() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < GEMINI_JOBS; n++) {
            ids.add(submit("gemini-2.5-flash-image", "a lighthouse, take " + n));
        }
        for (int n = 0; n < OPENAI_JOBS; n++) {
            ids.add(submit("gpt-image-1.5", "a fox, take " + n));
        }

        Map<String, String> statuses = awaitTerminal(ids, Duration.ofMinutes(4));
        JsonNode quota = JSON.readTree(send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/quota")).GET()).body());
        System.out.printf("learned limits e2e: %s; 429s %s %d, %s %d; served %d + %d%n", statuses.values().stream().distinct().toList(),
                PROJECT, provider.tooMany(PROJECT), ORGANISATION, provider.tooMany(ORGANISATION), provider.served(PROJECT),
                provider.served(ORGANISATION));

        assertEquals(ids.size(), statuses.values().stream().filter("SUCCEEDED"::equals).count(), statuses::toString);
        assertEquals(GEMINI_JOBS, provider.served(PROJECT), "one image made per Gemini job");
        assertEquals(OPENAI_JOBS, provider.served(ORGANISATION), "one image made per OpenAI job");
        assertTrue(provider.tooMany(PROJECT) <= 5, "429s only while learning: " + provider.tooMany(PROJECT));
        assertTrue(provider.tooMany(ORGANISATION) <= 5, "429s only while learning: " + provider.tooMany(ORGANISATION));

        JsonNode gemini = entry(quota, PROJECT);
        assertEquals(12, gemini.path("limits").path("rpm").asInt(), gemini::toString);
        if (provider.tooMany(PROJECT) > 0) {
            assertTrue(gemini.path("learned").path("spread").asBoolean(), "a 429 spreads the sends: " + gemini);
            assertTrue(gemini.path("learned").path("last429").path("reason").asText().contains("RESOURCE_EXHAUSTED"), gemini::toString);
            assertEquals(12, gemini.path("stated").path("rpm").path("limit").asInt(), "Gemini's quotaValue: " + gemini);
            assertTrue(gemini.path("appliedLimits").path("rpm").asInt() <= 12, gemini::toString);
        }

        JsonNode openai = entry(quota, ORGANISATION);
        assertTrue(openai.path("limits").path("rpm").isNull(), "declared nothing: " + openai);
        assertEquals(12, openai.path("stated").path("rpm").path("limit").asInt(), "x-ratelimit-limit-requests: " + openai);
        assertEquals("x-ratelimit-limit-requests", openai.path("stated").path("rpm").path("source").asText());
        assertEquals(8_000_000, openai.path("stated").path("tpm").path("limit").asInt(), "x-ratelimit-limit-tokens: " + openai);
        assertTrue(openai.path("appliedLimits").path("rpm").asInt() <= 12, openai::toString);
        // A grant is reserved at the catalog's estimate (gpt-image-1.5 at 1K: 4,160 output tokens, + 4 for the prompt)
        // and corrected to the answer's usage (6,256: the fake answers as if quality "auto" had picked high); one refused
        // with a 429 keeps its estimate. So the last minute holds 6,256 × made + 4,164 × refused, made + refused its requests.
        JsonNode used = openai.path("used");
        long requests = used.path("requestsLastMinute").asLong();
        long excess = used.path("tokensLastMinute").asLong() - 4_164 * requests;
        assertTrue(excess >= 0 && excess % (6_256 - 4_164) == 0 && excess / (6_256 - 4_164) <= requests,
                "tokens corrected from the answers' usage: " + used);
    }

    private static JsonNode entry(JsonNode quota, String account) {
        for (JsonNode entry : quota.path("accounts")) {
            if (entry.path("account").asText().equals(account)) {
                return entry;
            }
        }
        throw new AssertionError("GET /v1/quota has no " + account + ": " + quota);
    }

    private static String submit(String model, String prompt) throws Exception {
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\",\"model\":\"" + model + "\"}")));
        assertEquals(202, accepted.statusCode(), accepted::body);
        return JSON.readTree(accepted.body()).get("id").asText();
    }

    private static Map<String, String> awaitTerminal(List<String> ids, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> statuses = new HashMap<>();
        while (true) {
            for (String id : ids) {
                JsonNode job = JSON.readTree(send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations/" + id)).GET()).body());
                statuses.put(id, job.get("status").asText());
            }
            if (statuses.values().stream().allMatch(s -> s.equals("SUCCEEDED") || s.equals("FAILED")) || Instant.now().isAfter(deadline)) {
                return statuses;
            }
            Thread.sleep(1_000);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
