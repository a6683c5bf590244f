package dev.pacer.providers.simulated;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.InMemoryInputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.ModelLimits;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedBatchProviderTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Account SIMULATED = new Account("simulated", "simulated", URI.create("simulated:local"), "none",
            Map.of("gemini-3.1-flash-image", ModelLimits.of(10, 10, 100)), 0, ZoneId.of("UTC"), Optional.empty());

    /** The simulated provider's side, shared by the "processes" of a test as the bucket is shared in the local run. */
    private final Map<String, byte[]> kept = new HashMap<>();
    private final SimulatedBatches store = new SimulatedBatches() {
        @Override
        public void put(String displayName, byte[] document) {
            kept.put(displayName, document.clone());
        }

        @Override
        public Optional<byte[]> get(String displayName) {
            return Optional.ofNullable(kept.get(displayName));
        }
    };

    private SimulatedBatchProvider at(Instant now) {
        return new SimulatedBatchProvider(0.2, 64, store, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static BatchLine line(String jobId, String prompt, int count) {
        return new BatchLine(jobId, new GenerationRequest(prompt, "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", count, Map.of()));
    }

    @Test
    void aBatchOpenedByOneProcessIsFoundPolledAndReadByAnotherAndFinishesAfterTheScaledTurnaround() {
        ProviderBatch opened = at(T0).open(SIMULATED, "gemini-3.1-flash-image", "pacer-b1",
                List.of(line("job-1", "a fox", 2), line("job-2", "an owl", 1)));
        assertEquals(BatchState.PENDING, opened.state());
        assertEquals(3, opened.total());

        assertEquals(List.of(opened), at(T0.plusSeconds(1)).findByDisplayName(SIMULATED, "pacer-b1").stream()
                .map(b -> new ProviderBatch(b.name(), b.displayName(), BatchState.PENDING, b.total(), 0, 0)).toList());
        assertEquals(List.of(), at(T0).findByDisplayName(SIMULATED, "pacer-nothing"));
        assertEquals(BatchState.RUNNING, at(T0.plusSeconds(6)).poll(SIMULATED, opened).state(), "12 s at factor 0.2");
        ProviderBatch done = at(T0.plusSeconds(12)).poll(SIMULATED, opened);
        assertEquals(BatchState.SUCCEEDED, done.state());

        List<BatchLineResult> results = new ArrayList<>();
        at(T0.plusSeconds(13)).results(SIMULATED, done, results::add);

        assertEquals(List.of("job-1/0", "job-1/1", "job-2/0"), results.stream().map(r -> r.jobId() + "/" + r.firstIndex()).toList());
        byte[] first = ((ProviderOutcome.Generated) results.get(0).outcome()).images().get(0).bytes();
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(first, 4));
        List<BatchLineResult> again = new ArrayList<>();
        at(T0.plusSeconds(14)).results(SIMULATED, done, again::add);
        assertArrayEquals(first, ((ProviderOutcome.Generated) again.get(0).outcome()).images().get(0).bytes(), "drawn again alike");
    }

    @Test
    void promptsAskForLineErrorsAndForAnExpiredBatchWithoutTheirLines() {
        ProviderBatch opened = at(T0).open(SIMULATED, "gemini-3.1-flash-image", "pacer-b2", List.of(line("ok", "a fox", 1),
                line("blocked", "a fox [simulate:safety]", 1), line("late", "a fox [simulate:batch-expired]", 1)));
        ProviderBatch done = at(T0.plus(Duration.ofMinutes(1))).poll(SIMULATED, opened);
        assertEquals(BatchState.EXPIRED, done.state());

        List<BatchLineResult> results = new ArrayList<>();
        at(T0.plus(Duration.ofMinutes(1))).results(SIMULATED, done, results::add);

        assertEquals(List.of("ok", "blocked"), results.stream().map(BatchLineResult::jobId).toList());
        ProviderOutcome.Refused refused = assertInstanceOf(ProviderOutcome.Refused.class, results.get(1).outcome());
        assertEquals("safety_block", refused.type());
        assertTrue(done.failed() >= 2);
    }

    @Test
    void anEditsInputsAreReadWhenItsBatchIsOpenedAndItsPicturesAreTheSyncLanesForTheSameInputs() {
        InMemoryInputImages inputs = new InMemoryInputImages().put("uploads/alice/shoes", new byte[] {1, 2, 3, 4, 5});
        GenerationRequest edit = new GenerationRequest("the shoes on a beach", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 2, Map.of())
                .withInputs(List.of(InputImage.upload("up-1", "uploads/alice/shoes", "image/png", 5)), Optional.empty());
        SimulatedBatchProvider opener = new SimulatedBatchProvider(0.2, 64, store, inputs, Clock.fixed(T0, ZoneOffset.UTC));

        ProviderBatch opened = opener.open(SIMULATED, "gemini-3.1-flash-image", "pacer-edit", List.of(new BatchLine("job-e", edit)));
        assertEquals(1, inputs.timesOpened("uploads/alice/shoes"), "read once, when the batch is opened");

        // the poller's process reads no inputs: what the pictures are drawn from was kept with the batch
        SimulatedBatchProvider poller = new SimulatedBatchProvider(0.2, 64, store, new InMemoryInputImages(),
                Clock.fixed(T0.plusSeconds(13), ZoneOffset.UTC));
        List<BatchLineResult> results = new ArrayList<>();
        poller.results(SIMULATED, poller.poll(SIMULATED, opened), results::add);

        assertEquals(2, results.size());
        SimulatedImageProvider sync = new SimulatedImageProvider(0, 64, inputs);
        for (int n = 0; n < 2; n++) {
            byte[] batched = ((ProviderOutcome.Generated) results.get(n).outcome()).images().get(0).bytes();
            assertArrayEquals(sync.image(edit, n).bytes(), batched, "the sync lane's picture of the same edit");
        }
        byte[] promptOnly = sync.image(edit.withInputs(List.of(), Optional.empty()), 0).bytes();
        assertFalse(Arrays.equals(promptOnly, ((ProviderOutcome.Generated) results.get(0).outcome()).images().get(0).bytes()),
                "drawn from the inputs too");
    }

    @Test
    void anEditWhoseInputIsMissingFailsToOpenLikeARealBatchsSend() {
        SimulatedBatchProvider opener = new SimulatedBatchProvider(0.2, 64, store, new InMemoryInputImages(), Clock.fixed(T0, ZoneOffset.UTC));
        GenerationRequest edit = new GenerationRequest("p", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1, Map.of())
                .withInputs(List.of(InputImage.upload("up-1", "uploads/alice/gone", "image/png", 5)), Optional.empty());

        BatchProviderException failed = assertThrows(BatchProviderException.class,
                () -> opener.open(SIMULATED, "gemini-3.1-flash-image", "pacer-gone", List.of(new BatchLine("job-e", edit))));

        assertTrue(failed.retryable());
        assertTrue(failed.getMessage().contains("job-e"), failed.getMessage());
        assertTrue(kept.isEmpty(), "no batch kept");
    }
}
