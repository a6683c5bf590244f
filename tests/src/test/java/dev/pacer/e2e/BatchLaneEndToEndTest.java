package dev.pacer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.localrun.moto.AwsClients;
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
 * The batch lane on the local run: 50 batch-lane jobs on two simulated accounts are collected into provider batches by
 * the scheduled collector (another function), finished by the simulated provider's batch mode and settled by the
 * scheduled poller (yet another). All end SUCCEEDED with their images in S3, each with one batch entry in its attempt
 * log, and the sync lane's quota is never touched. A simulated account is priced 0 on both lanes, as nobody bills it, so
 * the batch price itself (half the sync one) is held by PollBatchesTest on Gemini accounts.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BatchLaneEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MODEL = "gemini-3.1-flash-image";
    /** The model of the job whose batch expires: its sync-lane call is counted on its own model in GET /v1/quota. */
    private static final String EXPIRING_MODEL = "gemini-3-pro-image";
    private static final int JOBS = 50;

    @TempDir
    static Path dir;
    private static LocalRun localRun;
    private static AwsClients aws;

    @BeforeAll
    static void start() throws Exception {
        Path pool = dir.resolve("accounts.json");
        Files.writeString(pool, """
                {"accounts": [
                  {"id": "sim-a", "provider": "simulated", "models": {"%1$s": {"rpm": 100, "ipm": 100, "rpd": 10000},
                                                                       "%2$s": {"rpm": 100, "ipm": 100, "rpd": 10000}}},
                  {"id": "sim-b", "provider": "simulated", "models": {"%1$s": {"rpm": 100, "ipm": 100, "rpd": 10000}}}
                ]}""".formatted(MODEL, EXPIRING_MODEL));
        // batches of 25 close as soon as 25 wait; the simulated batch takes 3 s (factor 0.05); schedules run every 6 s
        localRun = LocalRun.start(LocalRunOptions.forTests()
                .withLatencyFactor("0.05")
                .withScheduleScale(0.1)
                .withEnvironment("PACER_ACCOUNTS_FILE", pool.toAbsolutePath().toString())
                .withEnvironment("PACER_BATCH_MIN_LINES", "25")
                .withEnvironment("PACER_BATCH_MAX_LINES", "25")
                .withEnvironment("PACER_BATCH_MAX_AGE", "PT15S")
                .withAwsCallLog(dir.resolve("aws-calls.tsv")));
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
    @org.junit.jupiter.api.Order(2)
    void aJobWhoseBatchExpiresTooCloseToItsDeadlineEndsOnTheSyncLane() throws Exception {
        String deadline = Instant.now().plus(Duration.ofHours(25)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        HttpResponse<String> accepted = post("{\"prompt\":\"a late owl [simulate:batch-expired]\",\"model\":\"" + EXPIRING_MODEL
                + "\",\"lane\":\"batch\",\"deadline\":\"" + deadline + "\"}");
        assertEquals(202, accepted.statusCode(), accepted::body);
        String id = JSON.readTree(accepted.body()).get("id").asText();

        JsonNode job = get("/v1/generations/" + id);
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
        while (!job.get("status").asText().equals("SUCCEEDED") && !job.get("status").asText().equals("FAILED")
                && Instant.now().isBefore(giveUp)) {
            Thread.sleep(500);
            job = get("/v1/generations/" + id);
        }

        assertEquals("SUCCEEDED", job.get("status").asText(), job::toString);
        assertEquals("sync", job.get("lane").asText());
        assertTrue(job.get("laneReason").asText().contains("batch_expired"), job::toString);
        assertEquals(2, job.get("attempts").asInt(), "one batch, then one sync claim");
        JsonNode batch = job.get("attemptLog").get(0);
        assertEquals("simulated-batch", batch.get("provider").asText(), job::toString);
        assertEquals("RETRY_LATER", batch.get("outcome").asText());
        assertEquals("batch_expired", batch.get("errorType").asText());
        assertEquals(0, batch.get("images").asInt(), "the expired line brought nothing and is billed nothing");
        JsonNode sync = job.get("attemptLog").get(1);
        assertEquals("simulated", sync.get("provider").asText(), "then one sync call, not taken for a lost one: " + job);
        assertEquals("GENERATED", sync.get("outcome").asText());
        assertEquals(2, job.get("attemptLog").size());
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aWaitingJobWhoseDeadlineNoLongerAllowsABatchIsMovedByTheCollectorAndEndsOnTheSyncLane() throws Exception {
        // a batch would still meet it when it is accepted, no longer 3 s later: the collector moves it before it is due (15 s)
        String deadline = Instant.now().plus(Duration.ofHours(26)).plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        HttpResponse<String> accepted = post("{\"prompt\":\"a hurried heron\",\"model\":\"" + EXPIRING_MODEL
                + "\",\"lane\":\"batch\",\"deadline\":\"" + deadline + "\"}");
        assertEquals(202, accepted.statusCode(), accepted::body);
        assertEquals("batch", JSON.readTree(accepted.body()).get("lane").asText());
        String id = JSON.readTree(accepted.body()).get("id").asText();

        JsonNode job = get("/v1/generations/" + id);
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (!job.get("status").asText().equals("SUCCEEDED") && !job.get("status").asText().equals("FAILED")
                && Instant.now().isBefore(giveUp)) {
            Thread.sleep(500);
            job = get("/v1/generations/" + id);
        }

        assertEquals("SUCCEEDED", job.get("status").asText(), job::toString);
        assertEquals("sync", job.get("lane").asText(), job::toString);
        assertTrue(job.get("laneReason").asText().startsWith("the deadline " + deadline + " leaves too little for a batch"), job::toString);
        assertEquals(1, job.get("attempts").asInt(), "never in a batch: one sync claim");
        assertEquals(1, job.get("attemptLog").size(), job::toString);
        assertEquals("simulated", job.get("attemptLog").get(0).get("provider").asText(), job::toString);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void fiftyBatchLaneJobsOnTwoAccountsAllSucceedWithOneBatchEntryEachWithoutTouchingTheSyncQuota() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < JOBS; n++) {
            HttpResponse<String> accepted = post("{\"prompt\":\"a lighthouse, night " + n + "\",\"model\":\"" + MODEL
                    + "\",\"resolution\":\"1K\",\"lane\":\"batch\"}");
            assertEquals(202, accepted.statusCode(), accepted::body);
            JsonNode body = JSON.readTree(accepted.body());
            assertEquals("batch", body.get("lane").asText());
            ids.add(body.get("id").asText());
        }

        Map<String, JsonNode> done = new HashMap<>();
        Set<String> seenBatched = new HashSet<>();
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(4));
        while (done.size() < JOBS && Instant.now().isBefore(giveUp)) {
            for (String id : ids) {
                if (done.containsKey(id)) {
                    continue;
                }
                JsonNode job = get("/v1/generations/" + id);
                String status = job.get("status").asText();
                if (status.equals("BATCHED") && job.path("batch").has("name")) {
                    seenBatched.add(job.get("batch").get("name").asText());
                }
                if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                    done.put(id, job);
                }
            }
            Thread.sleep(500);
        }

        assertEquals(JOBS, done.size(), "every job ended within 4 minutes");
        BigDecimal batchCost = BigDecimal.ZERO;
        Set<String> accounts = new HashSet<>();
        for (JsonNode job : done.values()) {
            assertEquals("SUCCEEDED", job.get("status").asText(), job::toString);
            assertEquals(1, job.get("images").size());
            String key = job.get("images").get(0).get("key").asText();
            assertEquals("generations/" + job.get("id").asText() + "/0.png", key);
            long stored = aws.s3().headObject(head -> head.bucket(localRun.resources().physicalId("ImagesBucket")).key(key)).contentLength();
            assertEquals(job.get("images").get(0).get("bytes").asLong(), stored, "the image is in S3");
            assertEquals(1, job.get("attemptLog").size(), job::toString);
            assertEquals("simulated-batch", job.get("attemptLog").get(0).get("provider").asText());
            assertEquals(1, job.get("attempts").asInt(), "one batch, no second ask");
            batchCost = batchCost.add(job.get("attemptLog").get(0).get("estimatedCostUsd").decimalValue());
            accounts.add(job.get("account").asText());
        }
        assertEquals(0, batchCost.signum(), "a simulated account is billed nothing, on either lane: " + batchCost);
        assertEquals(Set.of("sim-a", "sim-b"), accounts, "the two batches went to the two accounts");
        assertTrue(!seenBatched.isEmpty(), "GET showed the jobs BATCHED with their provider batch");

        JsonNode quota = get("/v1/quota");
        int found = 0;
        for (JsonNode entry : quota.get("accounts")) {
            if (entry.get("model").asText().equals(MODEL)) {
                assertEquals(0, entry.get("used").get("requestsToday").asInt(), "no sync reservation: " + entry);
                found++;
            }
        }
        assertEquals(2, found, "both accounts report the model");
        awsCallsPerImage();
    }

    /**
     * The AWS calls the batch lane made for the 50 images: five per image (recorded, taken into a batch, read back,
     * stored, ended), the rest (index queries, batch records, the simulated batches) shared by all.
     */
    private static void awsCallsPerImage() throws Exception {
        Thread.sleep(2_000); // the poller's last writes
        List<dev.pacer.aws.calls.AwsCall> calls = dev.pacer.aws.calls.AwsCallLog.read(dir.resolve("aws-calls.tsv")).stream()
                .filter(call -> !(call.function().equals("IntakeFunction") && call.operation().equals("GetItem"))) // the test's GETs
                .filter(call -> !call.function().equals("WorkerFunction") && !call.function().equals("ReleaseParkedJobsFunction"))
                .toList();
        Map<String, Long> bySite = new java.util.TreeMap<>();
        calls.forEach(call -> bySite.merge(call.function() + " " + call.serviceOperation() + " " + call.adapter().replaceFirst(":\\d+$", ""),
                1L, Long::sum));
        System.out.println("batch lane AWS calls for " + JOBS + " images: " + calls.size() + " (" + (double) calls.size() / JOBS
                + " per image)\n" + bySite.entrySet().stream().map(e -> e.getValue() + "\t" + e.getKey())
                .collect(java.util.stream.Collectors.joining("\n")));
        for (String perImage : List.of("IntakeFunction DynamoDb PutItem DynamoDbJobStore.create",
                "BatchCollectorFunction DynamoDb UpdateItem DynamoDbJobStore.batch",
                "BatchPollerFunction DynamoDb GetItem DynamoDbJobStore.find",
                "BatchPollerFunction S3 PutObject S3ImageStore.put",
                "BatchPollerFunction DynamoDb UpdateItem DynamoDbJobStore.succeedBatched")) {
            assertEquals(JOBS, bySite.getOrDefault(perImage, 0L), perImage + ": once per image\n" + bySite);
        }
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve(path)).GET().timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
