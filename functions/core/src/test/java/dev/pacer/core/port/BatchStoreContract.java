package dev.pacer.core.port;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.BatchRecord.Phase;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.LearnedBatchLimit;
import dev.pacer.core.batch.ProviderBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link BatchStore} does, run against each of them: the DynamoDB store on moto and the in-memory one. A
 * record moves INTENDED → OPEN → DONE, each move only from where it starts, and the account's unfinished records are
 * what the poller and the concurrency bound read.
 */
public abstract class BatchStoreContract {

    protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private BatchStore store;

    /** The store under test; record ids and accounts are random, so one table may serve every test. */
    protected abstract BatchStore newStore();

    @BeforeEach
    void newStoreForTheTest() {
        store = newStore();
    }

    @Test
    void storesAnIntentAndReadsEveryFieldBack() {
        BatchRecord intent = intent(account(), T0);

        store.create(intent);

        assertEquals(Optional.of(intent), store.find(intent.id()));
        assertEquals("pacer-" + intent.id(), intent.displayName());
    }

    @Test
    void refusesToCreateTheSameIdTwice() {
        BatchRecord intent = intent(account(), T0);
        store.create(intent);
        assertThrows(RuntimeException.class, () -> store.create(intent));
    }

    @Test
    void anIntentIsOpenedOnceWithTheProvidersBatchAndTheJobsItWasOpenedWith() {
        BatchRecord intent = intent(account(), T0);
        store.create(intent);
        ProviderBatch pending = new ProviderBatch("batches/123", intent.displayName(), BatchState.PENDING, 2, 0, 0);

        assertTrue(store.opened(intent.id(), pending, List.of("job-a", "job-b")));
        assertFalse(store.opened(intent.id(), pending, List.of("job-a")), "opened once");

        BatchRecord open = store.find(intent.id()).orElseThrow();
        assertEquals(Phase.OPEN, open.phase());
        assertEquals(Optional.of(pending), open.provider());
        assertEquals(List.of("job-a", "job-b"), open.jobIds());
    }

    @Test
    void onlyAnOpenBatchIsPolledAndADoneOneIsDoneForGood() {
        BatchRecord intent = intent(account(), T0);
        store.create(intent);
        ProviderBatch running = new ProviderBatch("batches/9", intent.displayName(), BatchState.RUNNING, 3, 1, 0);
        assertFalse(store.polled(intent.id(), running), "not open yet");
        store.opened(intent.id(), new ProviderBatch("batches/9", intent.displayName(), BatchState.PENDING, 3, 0, 0), intent.jobIds());

        assertTrue(store.polled(intent.id(), running));
        assertEquals(Optional.of(running), store.find(intent.id()).orElseThrow().provider());

        ProviderBatch done = new ProviderBatch("batches/9", intent.displayName(), BatchState.SUCCEEDED, 3, 3, 0);
        assertTrue(store.finish(intent.id(), Optional.of(done), T0.plusSeconds(60)));
        assertFalse(store.finish(intent.id(), Optional.of(done), T0.plusSeconds(61)), "done once");
        assertFalse(store.polled(intent.id(), running), "a done batch is not polled again");
        BatchRecord finished = store.find(intent.id()).orElseThrow();
        assertEquals(Phase.DONE, finished.phase());
        assertEquals(Optional.of(done), finished.provider());
        assertEquals(Optional.of(T0.plusSeconds(60)), finished.finishedAt());
    }

    @Test
    void anIntentNeverOpenedMayBeDoneToo() {
        BatchRecord intent = intent(account(), T0);
        store.create(intent);

        assertTrue(store.finish(intent.id(), Optional.empty(), T0.plusSeconds(1)));

        assertEquals(Optional.empty(), store.find(intent.id()).orElseThrow().provider());
    }

    @Test
    void anAccountsUnfinishedRecordsAreItsIntendedAndOpenOnesOldestFirst() {
        String account = account();
        BatchRecord older = intent(account, T0);
        BatchRecord newer = intent(account, T0.plusSeconds(10));
        BatchRecord done = intent(account, T0.plusSeconds(5));
        store.create(newer);
        store.create(older);
        store.create(done);
        store.create(intent(account(), T0));
        store.opened(older.id(), new ProviderBatch("batches/1", older.displayName(), BatchState.PENDING, 2, 0, 0), older.jobIds());
        store.finish(done.id(), Optional.empty(), T0.plusSeconds(6));

        assertEquals(List.of(older.id(), newer.id()), store.unfinished(account).stream().map(BatchRecord::id).toList());
        assertEquals(List.of(), store.unfinished("nobody-" + UUID.randomUUID()));
    }

    @Test
    void aRecordKeepsTheTokensItEnqueuedThroughEveryMove() {
        BatchRecord intent = intent(account(), T0);
        store.create(intent);
        store.opened(intent.id(), new ProviderBatch("batches/7", intent.displayName(), BatchState.PENDING, 2, 0, 0), intent.jobIds());
        assertEquals(2_580, store.unfinished(intent.account()).get(0).enqueuedTokens());

        store.finish(intent.id(), Optional.empty(), T0.plusSeconds(1));

        assertEquals(2_580, store.find(intent.id()).orElseThrow().enqueuedTokens());
    }

    @Test
    void aLearnedLimitIsKeptPerAccountAndModelAndReplacedByTheNextOne() {
        String account = account();
        assertEquals(Optional.empty(), store.learnedLimit(account, "gemini-3.1-flash-image"));
        LearnedBatchLimit first = new LearnedBatchLimit(2_000_000, T0, "429 RESOURCE_EXHAUSTED");
        LearnedBatchLimit second = new LearnedBatchLimit(1_500_000, T0.plusSeconds(60), "token_limit_exceeded");

        store.learnLimit(account, "gemini-3.1-flash-image", first);
        assertEquals(Optional.of(first), store.learnedLimit(account, "gemini-3.1-flash-image"));
        store.learnLimit(account, "gemini-3.1-flash-image", second);

        assertEquals(Optional.of(second), store.learnedLimit(account, "gemini-3.1-flash-image"));
        assertEquals(Optional.empty(), store.learnedLimit(account, "gemini-3-pro-image"), "per model");
        assertEquals(Optional.empty(), store.learnedLimit(account(), "gemini-3.1-flash-image"), "per account");
        assertEquals(List.of(), store.unfinished(account), "a learned limit is no batch");
    }

    private static String account() {
        return "project-" + UUID.randomUUID();
    }

    private static BatchRecord intent(String account, Instant at) {
        return BatchRecord.intended(UUID.randomUUID().toString(), account, "gemini-3.1-flash-image", List.of("job-a", "job-b"), 2_580, at);
    }
}
