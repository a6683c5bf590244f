package dev.pacer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.providers.fake.FakeProviderServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pacer under load and under faults, in the local run, with the packaged functions calling a fake
 * Gemini server (Gemini's exact answers) over HTTP: every accepted job ends SUCCEEDED or FAILED with
 * the right reason, and the provider sees no more calls than the retry policy allows.
 */
class BurstAndFaultsEndToEndTest {

    private static final int BURST = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static FakeProviderServer gemini;
    private static LocalRun localRun;
    private static AwsClients aws;

    @BeforeAll
    static void start() {
        gemini = FakeProviderServer.start();
        localRun = LocalRun.start(LocalRunOptions.forTests()
                .withLog(line -> { })
                .withEnvironment("PACER_PROVIDER", "real")
                .withEnvironment("PACER_GEMINI_API_KEY", "test-key")
                .withEnvironment("PACER_GEMINI_BASE_URL", gemini.baseUrl().toString())
                .withEnvironment("PACER_TIMEOUTS_UP_TO_2K", "PT3S")
                .withEnvironment("PACER_RETRY_BACKOFF", "PT1S")
                .withEnvironment("PACER_ATTEMPT_LEASE", "PT8S")
                // one caller submits the whole burst at once: keep the per-caller cap (1000 by default) above it
                .withEnvironment("PACER_CALLERS_MAX_UNFINISHED_JOBS", Integer.toString(2 * BURST)));
        aws = localRun.awsClients();
        // Lambda's visibility is 6 × the worker timeout (72 min); a crashed attempt comes back here after 10 s
        aws.sqs().setQueueAttributes(set -> set.queueUrl(localRun.resources().physicalId("JobsQueue"))
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "10")));
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
    void aBurstOfAThousandSubmissionsAllSucceedWithOneProviderCallEach() throws Exception {
        Instant begin = Instant.now();
        List<String> ids = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> submissions = new ArrayList<>();
            for (int n = 0; n < BURST; n++) {
                String prompt = "burst " + n + " a fox";
                submissions.add(clients.submit(() -> submit("{\"prompt\":\"" + prompt + "\"}")));
            }
            for (Future<String> submission : submissions) {
                ids.add(submission.get());
            }
        } finally {
            clients.shutdownNow();
        }
        Duration submitting = Duration.between(begin, Instant.now());

        Map<String, String> statuses = awaitAllTerminal(new HashSet<>(ids), Duration.ofMinutes(8));
        Duration endToEnd = Duration.between(begin, Instant.now());
        System.out.printf("burst: %d submissions in %d ms (%.0f/s); all terminal after %d ms%n", BURST, submitting.toMillis(),
                BURST * 1000.0 / submitting.toMillis(), endToEnd.toMillis());

        assertEquals(BURST, statuses.values().stream().filter("SUCCEEDED"::equals).count(), statuses.values()::toString);
        assertEquals(BURST, gemini.receivedWith("burst ").size(), "the provider saw exactly one call per job");
        int stored = 0;
        String token = null;
        do {
            String next = token;
            var page = aws.s3().listObjectsV2(list -> list.bucket(localRun.resources().physicalId("ImagesBucket"))
                    .prefix("generations/").continuationToken(next));
            stored += (int) page.contents().stream().filter(object -> ids.contains(object.key().split("/")[1])).count();
            token = page.nextContinuationToken();
        } while (token != null);
        assertEquals(BURST, stored, "one image in S3 per job");
        assertEquals(0, messages("JobsDeadLetterQueue"), "nothing dead-lettered");
    }

    @Test
    void overloadSafetyHangsAndACrashedWorkerAllEndTerminalWithinTheRetryPolicy() throws Exception {
        String overloaded = submit("{\"prompt\":\"faults overloaded [case:503-unavailable]\"}");
        String blocked = submit("{\"prompt\":\"faults blocked [case:finish-image-safety]\"}");
        String hanging = submit("{\"prompt\":\"faults hanging [case:hang]\"}");
        String crashed = submit("{\"prompt\":\"faults crashed [case:hang-first]\"}");

        // the worker dies while the provider holds its call: the job's lease expires and SQS delivers it again
        awaitCall("faults crashed", Duration.ofSeconds(30));
        killWorkers();
        // the emulator is unreachable for a few seconds while jobs are in flight
        pauseMoto(Duration.ofSeconds(3));

        Map<String, String> statuses = awaitAllTerminal(Set.of(overloaded, blocked, hanging, crashed), Duration.ofMinutes(3));

        assertEquals("FAILED", statuses.get(overloaded));
        assertEquals("provider_unavailable", errorType(overloaded));
        assertEquals(3, gemini.receivedWith("faults overloaded").size(), "503: tried maxAttempts (3) times");

        assertEquals("FAILED", statuses.get(blocked));
        assertEquals("safety_block", errorType(blocked));
        assertEquals(1, gemini.receivedWith("faults blocked").size(), "a refusal is never retried");

        assertEquals("FAILED", statuses.get(hanging));
        assertEquals("provider_timeout", errorType(hanging));
        assertEquals(2, gemini.receivedWith("faults hanging").size(), "a call that may have been billed is retried once");

        assertEquals("SUCCEEDED", statuses.get(crashed));
        assertEquals(2, gemini.receivedWith("faults crashed").size(), "the crashed call, then one retry");
        assertEquals(0, messages("JobsDeadLetterQueue"), "nothing dead-lettered");
    }

    private static String submit(String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response::body);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static String errorType(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode job = JSON.readTree(response.body());
        return job.path("error").path("type").asText();
    }

    /** Reads statuses straight from the jobs table: a thousand GETs a second would measure the poller, not pacer. */
    private static Map<String, String> awaitAllTerminal(Set<String> ids, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        Map<String, String> statuses = Map.of();
        while (Instant.now().isBefore(deadline)) {
            statuses = statuses(ids);
            if (statuses.size() == ids.size() && statuses.values().stream().allMatch(s -> s.equals("SUCCEEDED") || s.equals("FAILED"))) {
                return statuses;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not all jobs finished within " + within + ": " + statuses);
    }

    private static Map<String, String> statuses(Set<String> ids) {
        Map<String, String> statuses = new java.util.HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = aws.dynamoDb().scan(scan -> scan.tableName(localRun.resources().physicalId("JobsTable"))
                    .projectionExpression("id, #s").expressionAttributeNames(Map.of("#s", "status")).exclusiveStartKey(from));
            page.items().stream().filter(item -> ids.contains(item.get("id").s()))
                    .forEach(item -> statuses.put(item.get("id").s(), item.get("status").s()));
            start = page.lastEvaluatedKey() == null || page.lastEvaluatedKey().isEmpty() ? null : page.lastEvaluatedKey();
        } while (start != null);
        return statuses;
    }

    private static int messages(String queue) {
        var attributes = aws.sqs().getQueueAttributes(get -> get.queueUrl(localRun.resources().physicalId(queue))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    private static void awaitCall(String marker, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (gemini.receivedWith(marker).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the provider never saw " + marker);
            }
            Thread.sleep(50);
        }
    }

    /** Kills the worker processes the local run starts (their working directory is the unpacked function.zip). */
    private static void killWorkers() {
        List<ProcessHandle> workers = ProcessHandle.current().descendants()
                .filter(process -> workingDirectory(process).endsWith("local-run/WorkerFunction"))
                .toList();
        assertTrue(!workers.isEmpty(), "found the worker processes");
        workers.forEach(ProcessHandle::destroyForcibly);
    }

    private static String workingDirectory(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).toString();
        } catch (IOException | UnsupportedOperationException gone) {
            return "";
        }
    }

    /** SIGSTOP, then SIGCONT: moto's port stays open but nothing answers, like an emulator or endpoint that hangs. */
    private static void pauseMoto(Duration pause) throws Exception {
        long pid = ProcessHandle.current().descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("moto_server")
                        && process.info().commandLine().orElse("").contains(Integer.toString(localRun.motoEndpoint().getPort())))
                .findFirst().orElseThrow(() -> new AssertionError("moto_server not found")).pid();
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        Thread.sleep(pause.toMillis());
        new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
    }
}
