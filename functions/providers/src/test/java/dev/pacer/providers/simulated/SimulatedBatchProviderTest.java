package dev.pacer.providers.simulated;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
}
