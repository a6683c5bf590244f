package dev.pacer.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.fake.FakeGeminiBatch;
import dev.pacer.providers.fake.FakeProviderServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static dev.pacer.providers.ClassifiedCase.assertOutcome;
import static dev.pacer.providers.ClassifiedCase.outcomeClass;
import static dev.pacer.providers.http.JsonHttp.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiBatchProviderTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final ProviderTimeouts TIMEOUTS = ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
    private static final AccountKeys KEYS = account -> Optional.of("test-gemini-key");
    private static final String FLASH = "gemini-3.1-flash-image";

    private FakeGeminiBatch fake;
    private Account account;
    private final GeminiBatchProvider provider = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard());

    @BeforeEach
    void startFake() {
        fake = FakeGeminiBatch.start();
        account = account(fake.baseUrl() + "/");
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void opensAnInlineBatchOfOneRequestPerImageKeyedByJobAndIndex() throws IOException {
        GenerationRequest twoImages = request("a red fox", Resolution.TWO_K, "16:9", 2);
        GenerationRequest oneImage = request("an owl", Resolution.ONE_K, "1:1", 1);

        ProviderBatch batch = provider.open(account, FLASH, "pacer-gemini-1", List.of(new BatchLine("job-a", twoImages), new BatchLine("job-b", oneImage)));

        assertEquals(new ProviderBatch("batches/1", "pacer-gemini-1", BatchState.PENDING, 3, 0, 0), batch);
        var sent = fake.received("POST", ":batchGenerateContent").get(0);
        assertEquals("/v1beta/models/gemini-3.1-flash-image:batchGenerateContent", sent.path());
        assertEquals("test-gemini-key", sent.header("x-goog-api-key"));
        assertEquals("application/json", sent.header("Content-Type"));
        // each request is exactly what the sync adapter sends for one image of the job
        JsonNode syncFox = new GeminiImageProvider(TIMEOUTS, TestCatalog.standard()).body(twoImages);
        JsonNode syncOwl = new GeminiImageProvider(TIMEOUTS, TestCatalog.standard()).body(oneImage);
        ObjectNode expected = JSON.createObjectNode();
        ObjectNode batchNode = expected.putObject("batch").put("display_name", "pacer-gemini-1");
        ArrayNode requests = batchNode.putObject("input_config").putObject("requests").putArray("requests");
        requests.addObject().<ObjectNode>set("request", syncFox).putObject("metadata").put("key", "job-a/0");
        requests.addObject().<ObjectNode>set("request", syncFox).putObject("metadata").put("key", "job-a/1");
        requests.addObject().<ObjectNode>set("request", syncOwl).putObject("metadata").put("key", "job-b/0");
        assertEquals(expected, JSON.readTree(sent.body()));
        assertEquals(JSON.readTree("""
                {"contents":[{"role":"user","parts":[{"text":"a red fox"}]}],
                 "generationConfig":{"responseModalities":["IMAGE"],"imageConfig":{"aspectRatio":"16:9","imageSize":"2K"}}}"""), syncFox);
        assertTrue(fake.received("POST", "/upload/").isEmpty(), "inline: no file");
    }

    @Test
    void aBatchOverTheInlineLimitGoesAsAJsonlFileThroughTheResumableUpload() throws IOException {
        GeminiBatchProvider small = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), 1000);
        List<BatchLine> lines = IntStream.range(0, 10).mapToObj(i -> new BatchLine("job-" + i, request("prompt " + i, Resolution.ONE_K, "1:1", 2))).toList();

        ProviderBatch batch = small.open(account, FLASH, "pacer-file-1", lines);

        var start = fake.received("POST", "/upload/v1beta/files").get(0);
        assertEquals("/upload/v1beta/files", start.path());
        assertEquals("resumable", start.header("X-Goog-Upload-Protocol"));
        assertEquals("start", start.header("X-Goog-Upload-Command"));
        assertEquals("application/jsonl", start.header("X-Goog-Upload-Header-Content-Type"));
        assertEquals("test-gemini-key", start.header("x-goog-api-key"));
        assertEquals(JSON.readTree("{\"file\":{\"display_name\":\"pacer-file-1\"}}"), JSON.readTree(start.body()));
        var upload = fake.received("POST", "upload_id=").get(0);
        assertEquals("upload, finalize", upload.header("X-Goog-Upload-Command"));
        assertEquals("0", upload.header("X-Goog-Upload-Offset"));
        assertEquals(Integer.toString(upload.body().length), start.header("X-Goog-Upload-Header-Content-Length"));

        String[] jsonl = new String(upload.body(), StandardCharsets.UTF_8).split("\n");
        assertEquals(20, jsonl.length);
        JsonNode sync = new GeminiImageProvider(TIMEOUTS, TestCatalog.standard()).body(request("prompt 3", Resolution.ONE_K, "1:1", 2));
        ObjectNode line7 = JSON.createObjectNode().put("key", "job-3/1");
        line7.set("request", sync);
        assertEquals(line7, JSON.readTree(jsonl[7]));

        var create = fake.received("POST", ":batchGenerateContent").get(0);
        String file = fake.batch(batch.name()).inputFile;
        assertArrayEquals(upload.body(), fake.file(file), "created from the file the upload made");
        assertEquals(JSON.readTree("{\"batch\":{\"display_name\":\"pacer-file-1\",\"input_config\":{\"file_name\":\"" + file + "\"}}}"),
                JSON.readTree(create.body()));
        assertEquals(20, batch.total());
    }

    @Test
    void theInlineLimitIsTheCreateBodysSize() {
        List<BatchLine> lines = List.of(new BatchLine("job-a", request("a fox", Resolution.ONE_K, "1:1", 3)));
        provider.open(account, FLASH, "measure", lines);
        int size = fake.received("POST", ":batchGenerateContent").get(0).body().length;

        new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), size + 1).open(account, FLASH, "measure", lines);
        assertTrue(fake.received("POST", "/upload/").isEmpty(), "under the limit: inline");

        new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), size).open(account, FLASH, "measure", lines);
        assertEquals(2, fake.received("POST", "/upload/").size(), "at the limit: a file (start and upload)");
        assertEquals(List.of(false, false, true), fake.batches().stream().map(b -> b.fromFile).toList());
    }

    @ParameterizedTest
    @CsvSource({
            "BATCH_STATE_, PENDING, PENDING", "BATCH_STATE_, RUNNING, RUNNING", "BATCH_STATE_, SUCCEEDED, SUCCEEDED",
            "BATCH_STATE_, FAILED, FAILED", "BATCH_STATE_, CANCELLED, CANCELLED", "BATCH_STATE_, EXPIRED, EXPIRED",
            "JOB_STATE_, PENDING, PENDING", "JOB_STATE_, RUNNING, RUNNING", "JOB_STATE_, SUCCEEDED, SUCCEEDED",
            "JOB_STATE_, FAILED, FAILED", "JOB_STATE_, CANCELLED, CANCELLED", "JOB_STATE_, EXPIRED, EXPIRED"})
    void pollReadsEveryStateInBothSpellings(FakeGeminiBatch.Spelling spelling, String state, BatchState expected) {
        fake.spelling(spelling);
        ProviderBatch batch = open("pacer-poll", "a fox", 1);
        fake.state(batch.name(), state);

        ProviderBatch now = provider.poll(account, batch);

        assertEquals(expected, now.state());
        assertEquals(batch.name(), now.name());
        assertEquals("pacer-poll", now.displayName());
        var poll = fake.received("GET", "/v1beta/batches/").get(0);
        assertEquals("/v1beta/" + batch.name(), poll.path());
        assertEquals("test-gemini-key", poll.header("x-goog-api-key"));
    }

    @Test
    void statesTheApiDoesNotNameAreReadFromDone() {
        assertEquals(BatchState.PENDING, GeminiBatches.state("BATCH_STATE_UNSPECIFIED", false, false));
        assertEquals(BatchState.SUCCEEDED, GeminiBatches.state("", true, false));
        assertEquals(BatchState.FAILED, GeminiBatches.state("JOB_STATE_SOMETHING_NEW", true, true));
        assertEquals(BatchState.PENDING, GeminiBatches.state("JOB_STATE_QUEUED", false, false));
        assertEquals(BatchState.SUCCEEDED, GeminiBatches.state("JOB_STATE_PARTIALLY_SUCCEEDED", true, false));
    }

    @Test
    void pollCountsFromBatchStatsWithoutReadingTheInlineAnswers() {
        ProviderBatch batch = open("pacer-counts", "a fox [case:success]", 3);
        provider.open(account, FLASH, "pacer-counts-2", List.of(new BatchLine("job-z", request("no [case:error-13]", Resolution.ONE_K, "1:1", 1))));
        fake.finish(batch.name());

        ProviderBatch now = provider.poll(account, batch);

        assertEquals(new ProviderBatch(batch.name(), "pacer-counts", BatchState.SUCCEEDED, 3, 3, 0), now);
    }

    @Test
    void findsBatchesByDisplayNameAcrossPagesNewestFirst() {
        fake.pageSize(7);
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i == 3 || i == 11 || i == 18) {
                ours.add(open("pacer-find", "a fox", 1).name());
            } else {
                fake.seed("someone-else-" + i, "RUNNING");
            }
        }

        List<ProviderBatch> found = provider.findByDisplayName(account, "pacer-find");

        assertEquals(List.of(ours.get(2), ours.get(1), ours.get(0)), found.stream().map(ProviderBatch::name).toList());
        assertTrue(found.stream().allMatch(b -> b.displayName().equals("pacer-find") && b.state() == BatchState.PENDING));
        var pages = fake.received("GET", "/v1beta/batches?");
        assertEquals(List.of("/v1beta/batches?pageSize=100", "/v1beta/batches?pageSize=100&pageToken=page-7",
                "/v1beta/batches?pageSize=100&pageToken=page-14"), pages.stream().map(r -> r.path()).toList());
        assertEquals(List.of(), provider.findByDisplayName(account, "nobody"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void inlineAnswersAreClassifiedAsTheSyncLaneClassifiesThem(boolean inlinedAsList) {
        fake.inlinedAsList(inlinedAsList);
        ProviderBatch batch = provider.open(account, FLASH, "pacer-lines", cases());
        fake.finish(batch.name());

        assertCases(results(provider, batch));
    }

    @Test
    void fileAnswersAreClassifiedAsTheSyncLaneClassifiesThem() {
        GeminiBatchProvider small = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), 100);
        ProviderBatch batch = small.open(account, FLASH, "pacer-file-lines", cases());
        fake.finish(batch.name());
        assertTrue(fake.batch(batch.name()).fromFile);

        assertCases(results(small, batch));
        var download = fake.received("GET", "/download/").get(0);
        assertTrue(download.path().matches("/download/v1beta/files/results-\\d+:download\\?alt=media"), download.path());
        assertEquals("test-gemini-key", download.header("x-goog-api-key"));
    }

    /** One line per outcome the sync lane knows, and one that never comes back. */
    private static List<BatchLine> cases() {
        return List.of(
                new BatchLine("ok", request("fox [case:success]", Resolution.ONE_K, "1:1", 2)),
                new BatchLine("image-safety", request("x [case:finish-image-safety]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("prompt-blocked", request("x [case:prompt-blocked]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("text-only", request("x [case:text-only]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("no-image", request("x [case:finish-no-image]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("per-day", request("x [case:error-8]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("invalid", request("x [case:error-3]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("internal", request("x [case:error-13]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("unavailable", request("x [case:error-14]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("denied", request("x [case:error-7]", Resolution.ONE_K, "1:1", 1)),
                new BatchLine("lost", request("x [case:missing]", Resolution.ONE_K, "1:1", 1)));
    }

    private static void assertCases(List<BatchLineResult> results) {
        assertEquals(List.of("ok/0", "ok/1", "image-safety/0", "prompt-blocked/0", "text-only/0", "no-image/0", "per-day/0",
                "invalid/0", "internal/0", "unavailable/0", "denied/0"), results.stream().map(r -> r.jobId() + "/" + r.firstIndex()).toList());
        var ok = assertInstanceOf(ProviderOutcome.Generated.class, results.get(0).outcome());
        assertEquals(1, ok.images().size());
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(ok.images().get(0).bytes(), 8));
        assertEquals(new Usage(11, 1295, 1306), ok.usage());
        assertInstanceOf(ProviderOutcome.Generated.class, results.get(1).outcome());
        assertCase(results.get(2), "Refused", "safety_block");
        assertCase(results.get(3), "Refused", "safety_block");
        assertCase(results.get(4), "Refused", "no_image");
        assertCase(results.get(5), "Refused", "no_image");
        assertCase(results.get(6), "RateLimited", "rate_limited");
        var perDay = (ProviderOutcome.RateLimited) results.get(6).outcome();
        assertTrue(perDay.perDay(), "the QuotaFailure names a per-day quota");
        assertEquals(Optional.of(Duration.ofSeconds(30)), perDay.retryAfter());
        assertCase(results.get(7), "Refused", "invalid_request");
        assertCase(results.get(8), "RetryLater", "provider_error");
        assertCase(results.get(9), "RetryLater", "provider_unavailable");
        assertCase(results.get(10), "Refused", "provider_auth");
    }

    private static void assertCase(BatchLineResult result, String kind, String type) {
        try {
            assertOutcome(outcomeClass(kind), type, result.outcome());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aResultsFileOf2000LinesIsHandedOnWhileItIsStillArriving() {
        GeminiBatchProvider small = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), 1000);
        List<BatchLine> lines = IntStream.range(0, 500).mapToObj(i -> new BatchLine("job-" + i, request("fox " + i, Resolution.ONE_K, "1:1", 4))).toList();
        ProviderBatch batch = small.open(account, FLASH, "pacer-2000", lines);
        fake.finish(batch.name());
        CountDownLatch firstLineSeen = new CountDownLatch(1);
        fake.holdResultsAfter(1000, firstLineSeen);
        Set<String> keys = new HashSet<>();
        int[] generated = {0};

        small.results(account, batch, line -> {
            firstLineSeen.countDown();
            keys.add(line.jobId() + "/" + line.firstIndex());
            if (line.outcome() instanceof ProviderOutcome.Generated) {
                generated[0]++;
            }
        });

        assertEquals(2000, keys.size());
        assertEquals(2000, generated[0]);
        assertTrue(fake.releasedWhileSending(), "the first line was handed on before the server sent line 1001");
    }

    @Test
    void aPollPassesOverInlineImagesAndResultsDecodeThemWhateverTheirSize() {
        ProviderBatch batch = provider.open(account, FLASH, "pacer-large", List.of(
                new BatchLine("big", request("x [case:large-4k]", Resolution.FOUR_K, "1:1", 1)),
                new BatchLine("small", request("y", Resolution.ONE_K, "1:1", 1))));
        fake.finish(batch.name());

        assertEquals(BatchState.SUCCEEDED, provider.poll(account, batch).state(), "the 35 million characters are skipped, not refused");
        List<BatchLineResult> results = results(provider, batch);

        assertEquals(List.of("big", "small"), results.stream().map(BatchLineResult::jobId).toList());
        var big = assertInstanceOf(ProviderOutcome.Generated.class, results.get(0).outcome());
        assertArrayEquals(FakeProviderServer.largeImage(), big.images().get(0).bytes());
    }

    @Test
    void aResultsFileLineThatCannotBeReadIsLeftOutAndTheRestStillCome() {
        GeminiBatchProvider small = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), 100);
        List<BatchLine> lines = IntStream.range(0, 5).mapToObj(i -> new BatchLine("job-" + i, request("fox " + i, Resolution.ONE_K, "1:1", 1))).toList();
        ProviderBatch batch = small.open(account, FLASH, "pacer-broken", lines);
        fake.finish(batch.name());
        fake.breakLine(2);

        List<BatchLineResult> results = results(small, batch);

        assertEquals(List.of("job-0", "job-1", "job-3", "job-4"), results.stream().map(BatchLineResult::jobId).toList());
    }

    @Test
    void anExpiredBatchHasNoAnswers() {
        ProviderBatch batch = open("pacer-expired", "a fox", 2);
        fake.expire(batch.name());

        assertEquals(BatchState.EXPIRED, provider.poll(account, batch).state());
        assertEquals(List.of(), results(provider, batch));
    }

    @Test
    void aFailedBatchHasNoAnswers() {
        ProviderBatch batch = open("pacer-failed", "a fox", 1);
        fake.state(batch.name(), "FAILED");

        assertEquals(BatchState.FAILED, provider.poll(account, batch).state());
        assertEquals(List.of(), results(provider, batch));
    }

    @Test
    void cancelPostsToTheBatchsCancelMethod() {
        ProviderBatch batch = open("pacer-cancel", "a fox", 1);

        provider.cancel(account, batch);

        var cancel = fake.received("POST", ":cancel").get(0);
        assertEquals("/v1beta/" + batch.name() + ":cancel", cancel.path());
        assertEquals("test-gemini-key", cancel.header("x-goog-api-key"));
        assertEquals(BatchState.CANCELLED, provider.poll(account, batch).state());
    }

    @ParameterizedTest
    @CsvSource({
            "POST, :batchGenerateContent, 429, RESOURCE_EXHAUSTED, true",
            "POST, :batchGenerateContent, 503, UNAVAILABLE, true",
            "POST, :batchGenerateContent, 500, INTERNAL, true",
            "POST, :batchGenerateContent, 400, INVALID_ARGUMENT, false",
            "POST, :batchGenerateContent, 403, PERMISSION_DENIED, false",
            "POST, /upload/v1beta/files, 503, UNAVAILABLE, true",
            "POST, upload_id=, 500, INTERNAL, true"})
    void openFailuresAreRetryableUnlessTheRequestWasRefused(String method, String path, int status, String name, boolean retryable) {
        GeminiBatchProvider small = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), path.contains("upload") ? 10 : Long.MAX_VALUE);
        fake.failNext(method, path, status, FakeGeminiBatch.error(status, name, "no"));

        var thrown = assertThrows(BatchProviderException.class,
                () -> small.open(account, FLASH, "pacer-fails", List.of(new BatchLine("job-a", request("a fox", Resolution.ONE_K, "1:1", 1)))));

        assertEquals(retryable, thrown.retryable(), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(Integer.toString(status)), thrown.getMessage());
    }

    @Test
    void aCreateAnswered429ResourceExhaustedIsOverTheBatchQuotaAndMadeNothing() {
        fake.failNext("POST", ":batchGenerateContent", 429, FakeGeminiBatch.error(429, "RESOURCE_EXHAUSTED",
                "You exceeded your current quota, please check your plan and billing details."));

        var thrown = assertThrows(BatchProviderException.class,
                () -> provider.open(account, FLASH, "pacer-over", List.of(new BatchLine("job-a", request("a fox", Resolution.ONE_K, "1:1", 1)))));

        assertTrue(thrown.overQuota(), thrown.getMessage());
        assertTrue(fake.batches().isEmpty());
        fake.failNext("POST", ":batchGenerateContent", 503, FakeGeminiBatch.error(503, "UNAVAILABLE", "busy"));
        assertFalse(assertThrows(BatchProviderException.class,
                () -> provider.open(account, FLASH, "pacer-busy", List.of(new BatchLine("job-a", request("a fox", Resolution.ONE_K, "1:1", 1)))))
                .overQuota(), "a 503 may have made it: reconciled by name, not taken for the quota");
    }

    @Test
    void a429ThatNamesAPerMinuteQuotaIsTheCallRateNotTheBatchQuota() throws IOException {
        String perMinute;
        try (var in = getClass().getResourceAsStream("/fake-providers/gemini/429-per-minute.json")) {
            perMinute = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        fake.failNext("POST", ":batchGenerateContent", 429, perMinute);

        var thrown = assertThrows(BatchProviderException.class,
                () -> provider.open(account, FLASH, "pacer-rate", List.of(new BatchLine("job-a", request("a fox", Resolution.ONE_K, "1:1", 1)))));

        assertFalse(thrown.overQuota(), thrown.getMessage());
        assertTrue(thrown.retryable());
    }

    @Test
    void pollAndListFailuresAreRetryableButAMissingBatchIsNot() {
        ProviderBatch batch = open("pacer-poll-fails", "a fox", 1);
        fake.failNext("GET", "/v1beta/batches/", 429, FakeGeminiBatch.error(429, "RESOURCE_EXHAUSTED", "slow down"));
        assertTrue(assertThrows(BatchProviderException.class, () -> provider.poll(account, batch)).retryable());
        fake.failNext("GET", "/v1beta/batches?", 503, FakeGeminiBatch.error(503, "UNAVAILABLE", "busy"));
        assertTrue(assertThrows(BatchProviderException.class, () -> provider.findByDisplayName(account, "x")).retryable());

        ProviderBatch gone = new ProviderBatch("batches/does-not-exist", "x", BatchState.RUNNING, 1, 0, 0);
        assertFalse(assertThrows(BatchProviderException.class, () -> provider.poll(account, gone)).retryable());
    }

    @Test
    void anUnreachableProviderOrAMissingKeyIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Account nowhere = account("http://127.0.0.1:" + closedPort);
        assertTrue(assertThrows(BatchProviderException.class, () -> provider.poll(nowhere, new ProviderBatch("batches/1", "x", BatchState.RUNNING, 1, 0, 0))).retryable());

        GeminiBatchProvider keyless = new GeminiBatchProvider(a -> {
            throw new IllegalStateException("secret not found");
        }, TIMEOUTS, TestCatalog.standard());
        var thrown = assertThrows(BatchProviderException.class, () -> keyless.poll(account, new ProviderBatch("batches/1", "x", BatchState.RUNNING, 1, 0, 0)));
        assertTrue(thrown.retryable());
        assertNull(fake.received().stream().filter(r -> r.method().equals("GET")).findAny().orElse(null), "nothing sent without a key");
    }

    @Test
    void aJobInTheBatchTwiceOrNoLinesIsRefused() {
        BatchLine line = new BatchLine("job-a", request("a fox", Resolution.ONE_K, "1:1", 1));
        assertFalse(assertThrows(BatchProviderException.class, () -> provider.open(account, FLASH, "dup", List.of(line, line))).retryable());
        assertFalse(assertThrows(BatchProviderException.class, () -> provider.open(account, FLASH, "none", List.of())).retryable());
        assertTrue(fake.received().isEmpty());
    }

    private ProviderBatch open(String displayName, String prompt, int images) {
        return provider.open(account, FLASH, displayName, List.of(new BatchLine("job-" + displayName, request(prompt, Resolution.ONE_K, "1:1", images))));
    }

    private List<BatchLineResult> results(GeminiBatchProvider adapter, ProviderBatch batch) {
        List<BatchLineResult> results = new ArrayList<>();
        adapter.results(account, batch, results::add);
        return results;
    }

    private static Account account(String baseUrl) {
        return new Account("project-a", "gemini", URI.create(baseUrl), "env:PACER_GEMINI_API_KEY", Map.of(), 0, ZoneId.of("America/Los_Angeles"), Optional.empty());
    }

    private static GenerationRequest request(String prompt, Resolution resolution, String aspectRatio, int count) {
        return new GenerationRequest(prompt, FLASH, resolution, aspectRatio, count, Map.of());
    }
}
