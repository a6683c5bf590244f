package dev.pacer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.providers.fake.FakeGeminiBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch lane's price on the local run, against a fake Gemini that speaks both lanes' wire ({@link FakeGeminiBatch}:
 * {@code :batchGenerateContent}, the batch polled as an operation, inline responses; and the sync
 * {@code :generateContent}). Two Gemini projects are priced as Gemini is, unlike simulated accounts: 50 batch-lane
 * jobs and 3 sync-lane jobs of the same model and resolution all end SUCCEEDED with their images in S3, each batch
 * image's attempt costs exactly half a sync image's, both projects got a batch, and the sync lane's requests counted in
 * GET /v1/quota are the sync jobs' alone.
 */
class BatchLaneCostEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MODEL = "gemini-3.1-flash-image";
    private static final List<String> PROJECTS = List.of("gemini-project-a", "gemini-project-b");
    private static final int BATCH_JOBS = 50;
    private static final int SYNC_JOBS = 3;
    /** Room for one batch of 25 jobs (about 1,126 tokens each) per project, not two. */
    private static final int ENQUEUED_TOKENS = 40_000;

    @TempDir
    static Path dir;
    private static FakeGeminiBatch gemini;
    private static LocalRun localRun;
    private static AwsClients aws;

    @BeforeAll
    static void start() throws Exception {
        gemini = FakeGeminiBatch.start();
        // long enough that the first batch is still open when the second closes, so the second goes to the other project
        gemini.finishAfter(Duration.ofSeconds(15));
        Path pool = dir.resolve("accounts.json");
        Files.writeString(pool, """
                {"accounts": [
                  {"id": "%2$s", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"%4$s": {"rpm": 100, "ipm": 100, "rpd": 10000, "batchEnqueuedTokens": %5$d}}},
                  {"id": "%3$s", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"%4$s": {"rpm": 100, "ipm": 100, "rpd": 10000, "batchEnqueuedTokens": %5$d}}}
                ]}""".formatted(gemini.baseUrl(), PROJECTS.get(0), PROJECTS.get(1), MODEL, ENQUEUED_TOKENS));
        // batches of 25 close as soon as 25 wait; the collector's and the poller's schedules run every 6 s
        localRun = LocalRun.start(LocalRunOptions.forTests()
                .withScheduleScale(0.1)
                .withEnvironment("PACER_ACCOUNTS_FILE", pool.toAbsolutePath().toString())
                .withEnvironment("PACER_GEMINI_API_KEY", "fake-gemini-key")
                .withEnvironment("PACER_BATCH_MIN_LINES", "25")
                .withEnvironment("PACER_BATCH_MAX_LINES", "25")
                .withEnvironment("PACER_BATCH_MAX_AGE", "PT15S"));
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
        if (gemini != null) {
            gemini.close();
        }
    }

    @Test
    void batchImagesCostHalfTheSyncLanesOnTwoGeminiProjectsAndSpendNoSyncQuota() throws Exception {
        List<String> batchIds = new ArrayList<>();
        for (int n = 0; n < BATCH_JOBS; n++) {
            batchIds.add(submit("a lighthouse, night " + n, "batch"));
        }
        List<String> syncIds = new ArrayList<>();
        for (int n = 0; n < SYNC_JOBS; n++) {
            syncIds.add(submit("a lighthouse, dawn " + n, "sync"));
        }
        List<String> all = new ArrayList<>(batchIds);
        all.addAll(syncIds);

        Map<String, JsonNode> done = awaitTerminal(all, Duration.ofMinutes(3));

        assertEquals(all.size(), done.size(), "every job ended within 3 minutes");
        for (JsonNode job : done.values()) {
            assertEquals("SUCCEEDED", job.get("status").asText(), job::toString);
            assertImageInS3(job);
        }
        BigDecimal syncCost = null;
        Map<String, Integer> syncRequests = new HashMap<>();
        for (String id : syncIds) {
            JsonNode job = done.get(id);
            assertEquals("sync", job.get("lane").asText());
            JsonNode call = job.get("attemptLog").get(job.get("attemptLog").size() - 1);
            assertEquals("gemini", call.get("provider").asText(), job::toString);
            BigDecimal cost = call.get("estimatedCostUsd").decimalValue();
            assertTrue(syncCost == null || syncCost.compareTo(cost) == 0, "the same model and resolution cost the same: " + job);
            syncCost = cost;
            for (JsonNode attempt : job.get("attemptLog")) {
                syncRequests.merge(attempt.get("account").asText(), 1, Integer::sum); // one request per call of a one-image job
            }
        }
        assertTrue(syncCost.signum() > 0, "a Gemini project is priced: " + syncCost);
        Set<String> batchAccounts = new HashSet<>();
        for (String id : batchIds) {
            JsonNode job = done.get(id);
            assertEquals("batch", job.get("lane").asText(), job::toString);
            assertEquals(1, job.get("attemptLog").size(), job::toString);
            JsonNode call = job.get("attemptLog").get(0);
            assertEquals("gemini-batch", call.get("provider").asText(), job::toString);
            assertEquals(0, syncCost.compareTo(call.get("estimatedCostUsd").decimalValue().multiply(BigDecimal.valueOf(2))),
                    "a batch image costs half a sync one (" + syncCost + "): " + call);
            batchAccounts.add(job.get("account").asText());
        }
        assertEquals(Set.copyOf(PROJECTS), batchAccounts, "both projects got a batch");
        assertEquals(2, gemini.batches().size(), "two batches of 25");
        assertEquals(SYNC_JOBS, gemini.syncCalls(), "the sync jobs' calls only");

        JsonNode quota = JSON.readTree(send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/quota")).GET()).body());
        int found = 0;
        for (JsonNode entry : quota.get("accounts")) {
            if (!entry.get("model").asText().equals(MODEL)) {
                continue;
            }
            String account = entry.get("account").asText();
            assertEquals((int) syncRequests.getOrDefault(account, 0), entry.get("used").get("requestsToday").asInt(),
                    "the sync jobs' requests alone, none of the batch jobs': " + entry);
            JsonNode batch = entry.get("batch");
            assertEquals(ENQUEUED_TOKENS, batch.get("enqueuedTokensLimit").asInt(), entry::toString);
            assertEquals("declared", batch.get("limitSource").asText(), entry::toString);
            assertEquals(0, batch.get("enqueuedTokens").asInt(), "every batch has finished: " + entry);
            assertEquals(0, batch.get("openBatches").asInt(), entry::toString);
            found++;
        }
        assertEquals(2, found, "both projects report the model");
        System.out.printf("batch lane cost e2e: sync %s, batch %s per image; batches on %s; sync requests %s%n", syncCost,
                syncCost.divide(BigDecimal.valueOf(2)), batchAccounts, syncRequests);
    }

    private static void assertImageInS3(JsonNode job) {
        assertEquals(1, job.get("images").size(), job::toString);
        String key = job.get("images").get(0).get("key").asText();
        assertEquals("generations/" + job.get("id").asText() + "/0.png", key);
        long stored = aws.s3().headObject(head -> head.bucket(localRun.resources().physicalId("ImagesBucket")).key(key)).contentLength();
        assertEquals(job.get("images").get(0).get("bytes").asLong(), stored, "the image is in S3");
    }

    private static String submit(String prompt, String lane) throws Exception {
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\",\"model\":\"" + MODEL
                        + "\",\"resolution\":\"1K\",\"lane\":\"" + lane + "\"}")));
        assertEquals(202, accepted.statusCode(), accepted::body);
        JsonNode body = JSON.readTree(accepted.body());
        assertEquals(lane, body.get("lane").asText(), body::toString);
        return body.get("id").asText();
    }

    private static Map<String, JsonNode> awaitTerminal(List<String> ids, Duration within) throws Exception {
        Map<String, JsonNode> done = new HashMap<>();
        Instant giveUp = Instant.now().plus(within);
        while (done.size() < ids.size() && Instant.now().isBefore(giveUp)) {
            for (String id : ids) {
                if (done.containsKey(id)) {
                    continue;
                }
                JsonNode job = JSON.readTree(send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations/" + id)).GET()).body());
                String status = job.get("status").asText();
                if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                    done.put(id, job);
                }
            }
            Thread.sleep(500);
        }
        return done;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
