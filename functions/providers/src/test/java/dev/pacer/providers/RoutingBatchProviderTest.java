package dev.pacer.providers;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;
import dev.pacer.providers.fake.FakeGeminiBatch;
import dev.pacer.providers.fake.FakeOpenAiBatch;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingBatchProviderTest {

    /** Each account's key, by its key reference: the adapters resolve it for each call. */
    private static final AccountKeys KEYS = account -> Optional.of("key-of-" + account.id());

    @Test
    void eachAccountGoesToItsProvidersBatchApiWithItsOwnKey() {
        RecordingBatchProvider simulated = new RecordingBatchProvider();
        try (FakeGeminiBatch gemini = FakeGeminiBatch.start(); FakeOpenAiBatch openai = FakeOpenAiBatch.start()) {
            RoutingBatchProvider routing = new RoutingBatchProvider(KEYS, ProviderTimeouts.standard(), TestCatalog.standard(), "auto", "png",
                    NoInputImages.INSTANCE, simulated);
            List<BatchLine> lines = List.of(new BatchLine("job-a", new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1, Map.of())));
            List<BatchLine> openAiLines = List.of(new BatchLine("job-b", new GenerationRequest("a fox", "gpt-image-1.5", Resolution.ONE_K, "1:1", 1, Map.of())));

            ProviderBatch geminiBatch = routing.open(account("project-a", "gemini", gemini.baseUrl()), "gemini-3.1-flash-image", "g", lines);
            ProviderBatch openAiBatch = routing.open(account("org-a", "openai", openai.baseUrl()), "gpt-image-1.5", "o", openAiLines);
            routing.poll(account("local", "simulated", URI.create("http://localhost")), new ProviderBatch("sim-1", "s", BatchState.PENDING, 1, 0, 0));

            assertTrue(geminiBatch.name().startsWith("batches/"));
            assertTrue(openAiBatch.name().startsWith("batch_"));
            assertEquals("key-of-project-a", gemini.received("POST", ":batchGenerateContent").get(0).header("x-goog-api-key"));
            assertEquals("Bearer key-of-org-a", openai.received("POST", "/v1/files").get(0).header("Authorization"));
            assertEquals(List.of("poll sim-1 on local"), simulated.calls);
        }
    }

    @Test
    void aProviderWithoutABatchApiIsRefusedNotRetried() {
        RoutingBatchProvider routing = new RoutingBatchProvider(Map.of("simulated", new RecordingBatchProvider()));
        Account bedrock = account("aws", "bedrock", URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"));

        var thrown = assertThrows(BatchProviderException.class, () -> routing.findByDisplayName(bedrock, "x"));

        assertFalse(thrown.retryable());
        assertTrue(thrown.getMessage().contains("bedrock"), thrown.getMessage());
        assertFalse(routing.supports(bedrock));
        assertTrue(routing.supports(account("local", "simulated", URI.create("http://localhost"))));
    }

    private static Account account(String id, String provider, URI baseUrl) {
        return new Account(id, provider, baseUrl, "env:KEY", Map.of(), 0, ZoneId.of("UTC"), Optional.empty());
    }

    /** Stands in for the lane's simulated Batch API: records what it was asked. */
    private static final class RecordingBatchProvider implements BatchProvider {
        final List<String> calls = new ArrayList<>();

        @Override
        public ProviderBatch open(Account account, String model, String displayName, List<BatchLine> lines) {
            calls.add("open " + displayName + " on " + account.id());
            return new ProviderBatch("sim-1", displayName, BatchState.PENDING, lines.size(), 0, 0);
        }

        @Override
        public List<ProviderBatch> findByDisplayName(Account account, String displayName) {
            calls.add("find " + displayName + " on " + account.id());
            return List.of();
        }

        @Override
        public ProviderBatch poll(Account account, ProviderBatch batch) {
            calls.add("poll " + batch.name() + " on " + account.id());
            return batch;
        }

        @Override
        public void results(Account account, ProviderBatch batch, Consumer<BatchLineResult> each) {
            calls.add("results " + batch.name() + " on " + account.id());
        }

        @Override
        public void cancel(Account account, ProviderBatch batch) {
            calls.add("cancel " + batch.name() + " on " + account.id());
        }
    }
}
