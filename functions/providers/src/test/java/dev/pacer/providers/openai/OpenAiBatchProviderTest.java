package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.pacer.providers.fake.FakeOpenAiBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static dev.pacer.providers.ClassifiedCase.assertOutcome;
import static dev.pacer.providers.ClassifiedCase.outcomeClass;
import static dev.pacer.providers.http.JsonHttp.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiBatchProviderTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final ProviderTimeouts TIMEOUTS = ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
    private static final AccountKeys KEYS = account -> Optional.of("test-openai-key");
    private static final String GPT_IMAGE = "gpt-image-1.5";

    private FakeOpenAiBatch fake;
    private Account account;
    private final OpenAiBatchProvider provider = new OpenAiBatchProvider(KEYS, TIMEOUTS, "high", "png", TestCatalog.standard());

    @BeforeEach
    void startFake() {
        fake = FakeOpenAiBatch.start();
        account = new Account("org-a", "openai", URI.create(fake.baseUrl() + "/"), "env:PACER_OPENAI_API_KEY", Map.of(), 0, ZoneId.of("UTC"), Optional.empty());
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void opensByUploadingTheJsonlFileThenCreatingTheBatch() throws IOException {
        GenerationRequest twoImages = request("a red fox", "3:2", 2);
        GenerationRequest oneImage = request("an owl", "1:1", 1);

        ProviderBatch batch = provider.open(account, GPT_IMAGE, "pacer-openai-1", List.of(new BatchLine("job-a", twoImages), new BatchLine("job-b", oneImage)));

        var upload = fake.received("POST", "/v1/files").get(0);
        assertEquals("Bearer test-openai-key", upload.header("Authorization"));
        String boundary = upload.header("Content-Type").substring("multipart/form-data; boundary=".length());
        JsonNode sync = new OpenAiImageProvider(TIMEOUTS, "high", "png", TestCatalog.standard()).body(twoImages);
        ObjectNode lineA = JSON.createObjectNode().put("custom_id", "job-a").put("method", "POST").put("url", "/v1/images/generations");
        lineA.set("body", sync);
        ObjectNode lineB = JSON.createObjectNode().put("custom_id", "job-b").put("method", "POST").put("url", "/v1/images/generations");
        lineB.set("body", new OpenAiImageProvider(TIMEOUTS, "high", "png", TestCatalog.standard()).body(oneImage));
        assertEquals("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"pacer-openai-1.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n"
                + lineA + "\n" + lineB + "\n"
                + "\r\n--" + boundary + "--\r\n", upload.text());
        assertEquals(JSON.readTree("""
                {"model":"gpt-image-1.5","prompt":"a red fox","n":2,"size":"1536x1024","quality":"high","output_format":"png"}"""), sync);

        var create = fake.received("POST", "/v1/batches").get(0);
        assertEquals("/v1/batches", create.path());
        assertEquals("Bearer test-openai-key", create.header("Authorization"));
        String fileId = fake.batch(batch.name()).path("input_file_id").asText();
        assertEquals(JSON.readTree("{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/images/generations\",\"completion_window\":\"24h\","
                + "\"metadata\":{\"display_name\":\"pacer-openai-1\"}}"), JSON.readTree(create.body()));
        assertEquals(new ProviderBatch(batch.name(), "pacer-openai-1", BatchState.PENDING, 2, 0, 0), batch);
        assertTrue(batch.name().startsWith("batch_"));
    }

    @Test
    void refusesMoreThan50000LinesWithoutSendingAnything() {
        List<BatchLine> lines = IntStream.range(0, 50_001).mapToObj(i -> new BatchLine("job-" + i, request("p", "1:1", 1))).toList();

        var thrown = assertThrows(BatchProviderException.class, () -> provider.open(account, GPT_IMAGE, "too-many", lines));

        assertFalse(thrown.retryable());
        assertTrue(fake.received().isEmpty());
    }

    @Test
    void refusesAnInputFileOver200MegabytesWithoutSendingAnything() {
        String longPrompt = "a fox in the snow ".repeat(2_000);
        List<BatchLine> lines = IntStream.range(0, 5_600).mapToObj(i -> new BatchLine("job-" + i, request(longPrompt, "1:1", 1))).toList();

        var thrown = assertThrows(BatchProviderException.class, () -> provider.open(account, GPT_IMAGE, "too-big", lines));

        assertFalse(thrown.retryable());
        assertTrue(thrown.getMessage().contains("200000000 bytes"), thrown.getMessage());
        assertTrue(fake.received().isEmpty());
    }

    @Test
    void refusesAJobInTheBatchTwiceOrNoLines() {
        BatchLine line = new BatchLine("job-a", request("a fox", "1:1", 1));
        assertFalse(assertThrows(BatchProviderException.class, () -> provider.open(account, GPT_IMAGE, "dup", List.of(line, line))).retryable());
        assertFalse(assertThrows(BatchProviderException.class, () -> provider.open(account, GPT_IMAGE, "none", List.of())).retryable());
        assertTrue(fake.received().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"validating, PENDING", "in_progress, RUNNING", "finalizing, RUNNING", "cancelling, RUNNING",
            "completed, SUCCEEDED", "failed, FAILED", "expired, EXPIRED", "cancelled, CANCELLED", "something_new, RUNNING"})
    void pollReadsEveryStatus(String status, BatchState expected) {
        ProviderBatch batch = open("pacer-poll", "a fox", 1);
        fake.status(batch.name(), status);

        ProviderBatch now = provider.poll(account, batch);

        assertEquals(expected, now.state());
        assertEquals("pacer-poll", now.displayName());
        var poll = fake.received("GET", "/v1/batches/").get(0);
        assertEquals("/v1/batches/" + batch.name(), poll.path());
        assertEquals("Bearer test-openai-key", poll.header("Authorization"));
    }

    @Test
    void pollCountsFromRequestCounts() {
        ProviderBatch batch = provider.open(account, GPT_IMAGE, "pacer-counts", List.of(
                new BatchLine("a", request("x", "1:1", 1)), new BatchLine("b", request("x [case:400-moderation-blocked]", "1:1", 1)),
                new BatchLine("c", request("y", "1:1", 1))));
        fake.finish(batch.name());

        assertEquals(new ProviderBatch(batch.name(), "pacer-counts", BatchState.SUCCEEDED, 3, 2, 1), provider.poll(account, batch));
    }

    @Test
    void findsBatchesByTheDisplayNameInTheirMetadataAcrossPagesNewestFirst() {
        fake.pageSize(7);
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i == 2 || i == 9 || i == 17) {
                ours.add(open("pacer-find", "a fox", 1).name());
            } else {
                fake.seed("someone-else", "in_progress");
            }
        }
        fake.seed(null, "completed");

        List<ProviderBatch> found = provider.findByDisplayName(account, "pacer-find");

        assertEquals(List.of(ours.get(2), ours.get(1), ours.get(0)), found.stream().map(ProviderBatch::name).toList());
        var pages = fake.received("GET", "/v1/batches?");
        assertEquals(3, pages.size());
        assertEquals("/v1/batches?limit=100", pages.get(0).path());
        assertTrue(pages.get(1).path().startsWith("/v1/batches?limit=100&after=batch_"), pages.get(1).path());
        assertEquals(List.of(), provider.findByDisplayName(account, "nobody"));
    }

    @Test
    void eachLineIsClassifiedAsTheSyncLaneClassifiesTheSameAnswer() {
        ProviderBatch batch = provider.open(account, GPT_IMAGE, "pacer-lines", List.of(
                new BatchLine("ok", request("fox", "3:2", 2)),
                new BatchLine("moderation", request("x [case:400-moderation-blocked]", "1:1", 1)),
                new BatchLine("invalid", request("x [case:400-invalid-size]", "1:1", 1)),
                new BatchLine("rate", request("x [case:429-rate-limit]", "1:1", 1)),
                new BatchLine("billing", request("x [case:429-insufficient-quota]", "1:1", 1)),
                new BatchLine("server", request("x [case:500-server-error]", "1:1", 1)),
                new BatchLine("overloaded", request("x [case:503-overloaded]", "1:1", 1)),
                new BatchLine("empty", request("x [case:no-data]", "1:1", 1)),
                new BatchLine("webp", request("x [case:success-webp]", "1:1", 1)),
                new BatchLine("refused-line", request("x [case:line-error]", "1:1", 1))));
        fake.finish(batch.name());

        List<BatchLineResult> results = results(batch);

        assertEquals(List.of("ok", "empty", "webp", "moderation", "invalid", "rate", "billing", "server", "overloaded", "refused-line"),
                results.stream().map(BatchLineResult::jobId).toList(), "the output file's lines, then the error file's");
        assertTrue(results.stream().allMatch(r -> r.firstIndex() == 0));
        var ok = assertInstanceOf(ProviderOutcome.Generated.class, results.get(0).outcome());
        assertEquals(2, ok.images().size());
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(ok.images().get(0).bytes(), 8));
        assertEquals(new Usage(16, 12384, 12400), ok.usage());
        assertCase(results.get(1), "RetryLater", "provider_bad_answer");
        assertEquals("image/webp", assertInstanceOf(ProviderOutcome.Generated.class, results.get(2).outcome()).images().get(0).contentType());
        assertCase(results.get(3), "Refused", "safety_block");
        assertCase(results.get(4), "Refused", "invalid_request");
        assertCase(results.get(5), "RateLimited", "rate_limited");
        assertCase(results.get(6), "Refused", "quota_exhausted");
        assertCase(results.get(7), "RetryLater", "provider_error");
        assertCase(results.get(8), "RetryLater", "provider_unavailable");
        assertCase(results.get(9), "Refused", "invalid_request");
        var content = fake.received("GET", "/content");
        assertEquals(2, content.size(), "the output file and the error file");
        assertTrue(content.stream().allMatch(r -> "Bearer test-openai-key".equals(r.header("Authorization"))));
    }

    @Test
    void anExpiredBatchKeepsItsFinishedLinesAndLeavesOutTheOnesItNeverRan() {
        List<BatchLine> lines = IntStream.range(0, 5).mapToObj(i -> new BatchLine("job-" + i, request("fox " + i, "1:1", 1))).toList();
        ProviderBatch batch = provider.open(account, GPT_IMAGE, "pacer-expired", lines);
        fake.expire(batch.name(), 2);

        ProviderBatch now = provider.poll(account, batch);
        List<BatchLineResult> results = results(now);

        assertEquals(BatchState.EXPIRED, now.state());
        assertEquals(List.of("job-0", "job-1"), results.stream().map(BatchLineResult::jobId).toList());
        assertTrue(results.stream().allMatch(r -> r.outcome() instanceof ProviderOutcome.Generated));
        assertTrue(new String(fake.file(fake.batch(batch.name()).path("error_file_id").asText()), StandardCharsets.UTF_8).contains("batch_expired"),
                "the unfinished lines are in the error file, as OpenAI writes them");
    }

    @Test
    void cancelAsksTheBatchToStopAndItsFinishedLinesStayReadable() {
        List<BatchLine> lines = IntStream.range(0, 3).mapToObj(i -> new BatchLine("job-" + i, request("fox " + i, "1:1", 1))).toList();
        ProviderBatch batch = provider.open(account, GPT_IMAGE, "pacer-cancel", lines);

        provider.cancel(account, batch);

        var cancel = fake.received("POST", "/cancel").get(0);
        assertEquals("/v1/batches/" + batch.name() + "/cancel", cancel.path());
        assertEquals("Bearer test-openai-key", cancel.header("Authorization"));
        assertEquals(BatchState.RUNNING, provider.poll(account, batch).state(), "cancelling");
        fake.cancelled(batch.name(), 1);
        assertEquals(BatchState.CANCELLED, provider.poll(account, batch).state());
        assertEquals(List.of("job-0"), results(batch).stream().map(BatchLineResult::jobId).toList());
    }

    @Test
    void aFailedBatchHasNoLines() {
        ProviderBatch batch = open("pacer-failed", "a fox", 1);
        fake.failed(batch.name());

        assertEquals(BatchState.FAILED, provider.poll(account, batch).state());
        assertEquals(List.of(), results(batch));
        assertTrue(fake.received("GET", "/content").isEmpty());
    }

    @Test
    void aBatchFailedForTheEnqueuedTokenLimitIsOverQuotaNotFailed() {
        ProviderBatch batch = open("pacer-over-quota", "a fox", 1);
        fake.tokenLimitExceeded(batch.name());

        assertEquals(BatchState.OVER_QUOTA, provider.poll(account, batch).state());
        assertFalse(BatchState.OVER_QUOTA.hasResults(), "no line ran");
        assertTrue(BatchState.OVER_QUOTA.isFinal());
    }

    @Test
    void aLargeOutputFileIsReadLineByLine() {
        List<BatchLine> lines = IntStream.range(0, 2000).mapToObj(i -> new BatchLine("job-" + i, request("fox " + i, "1:1", 2))).toList();
        ProviderBatch batch = provider.open(account, GPT_IMAGE, "pacer-2000", lines);
        fake.finish(batch.name());
        int[] images = {0};
        List<String> jobs = new ArrayList<>();

        provider.results(account, batch, line -> {
            jobs.add(line.jobId());
            images[0] += line.outcome().made().orElseThrow().images().size();
        });

        assertEquals(2000, jobs.size());
        assertEquals("job-1999", jobs.get(1999));
        assertEquals(4000, images[0]);
    }

    @ParameterizedTest
    @CsvSource({
            "/v1/files, 429, rate_limit_exceeded, true",
            "/v1/files, 500, server_error, true",
            "/v1/files, 401, invalid_api_key, false",
            "/v1/batches, 503, server_error, true",
            "/v1/batches, 400, invalid_request_error, false"})
    void openFailuresAreRetryableUnlessTheRequestWasRefused(String path, int status, String code, boolean retryable) {
        fake.failNext("POST", path, status, FakeOpenAiBatch.error(code, "invalid_request_error", "no"));

        var thrown = assertThrows(BatchProviderException.class,
                () -> provider.open(account, GPT_IMAGE, "pacer-fails", List.of(new BatchLine("job-a", request("a fox", "1:1", 1)))));

        assertEquals(retryable, thrown.retryable(), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(status + " " + code), thrown.getMessage());
    }

    @Test
    void pollAndResultsFailuresAreRetryableButAMissingBatchIsNot() {
        ProviderBatch batch = open("pacer-poll-fails", "a fox", 1);
        fake.finish(batch.name());
        fake.failNext("GET", "/v1/batches/", 429, FakeOpenAiBatch.error("rate_limit_exceeded", "requests", "slow down"));
        assertTrue(assertThrows(BatchProviderException.class, () -> provider.poll(account, batch)).retryable());
        fake.failNext("GET", "/content", 502, "<html>bad gateway</html>");
        assertTrue(assertThrows(BatchProviderException.class, () -> results(batch)).retryable());

        ProviderBatch gone = new ProviderBatch("batch_missing", "x", BatchState.RUNNING, 1, 0, 0);
        assertFalse(assertThrows(BatchProviderException.class, () -> provider.poll(account, gone)).retryable());
    }

    private ProviderBatch open(String displayName, String prompt, int images) {
        return provider.open(account, GPT_IMAGE, displayName, List.of(new BatchLine("job-" + displayName, request(prompt, "1:1", images))));
    }

    private List<BatchLineResult> results(ProviderBatch batch) {
        List<BatchLineResult> results = new ArrayList<>();
        provider.results(account, batch, results::add);
        return results;
    }

    private static void assertCase(BatchLineResult result, String kind, String type) {
        try {
            assertOutcome(outcomeClass(kind), type, result.outcome());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static GenerationRequest request(String prompt, String aspectRatio, int count) {
        return new GenerationRequest(prompt, GPT_IMAGE, Resolution.ONE_K, aspectRatio, count, Map.of());
    }
}
