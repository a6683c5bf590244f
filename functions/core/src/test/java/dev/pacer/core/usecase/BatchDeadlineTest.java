package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchState;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Lane;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every batch-lane job meets its deadline or says why: a job waiting for a batch whose deadline no longer leaves the
 * provider's target and the margin (26 h) goes to the sync lane, from waiting or from a batch refused for the batch
 * quota, and a refusal never uses up the batches a job may go into. Batches close at 3 jobs or 10 minutes.
 */
class BatchDeadlineTest extends BatchLaneFixture {

    private static final Duration NEEDS = LanePolicy.standard().batchNeeds();
    private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void aWaitingJobWhoseDeadlineComesTooCloseGoesToTheSyncLaneAndOnTheQueueOnce() {
        JobId tight = waitingAlone(Optional.of(T0.plus(NEEDS).plusSeconds(30)));
        assertEquals(0, collector.collect().toSyncLane(), "the deadline still leaves 26 h and 30 s");
        assertTrue(job(tight).waitsForBatch());
        assertEquals(List.of(), syncQueue.drain());

        clock.advance(Duration.ofMinutes(1));
        CollectBatches.Collected collected = collector.collect();

        assertEquals(1, collected.toSyncLane());
        Job moved = job(tight);
        assertEquals(JobStatus.QUEUED, moved.status());
        assertEquals(Lane.SYNC, moved.lane().lane());
        assertEquals("the deadline " + moved.deadline().orElseThrow() + " leaves too little for a batch: 25 h 59 min left, less than the "
                + "batch lane's 26 h (it was still waiting for one)", moved.lane().reason());
        assertEquals(0, moved.attempts(), "it never went into a batch");
        assertEquals(List.of(tight), syncQueue.drain(), "on the jobs queue, once");

        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, collector.collect().toSyncLane());
        assertEquals(List.of(), syncQueue.drain(), "not sent again");
        assertEquals(0, collector.collect().opened(), "nor put in a batch");
    }

    @Test
    void aWaitingJobWithTimeLeftOrNoDeadlineKeepsWaitingForABatch() {
        JobId roomy = waiting(1, Optional.of(T0.plus(NEEDS).plus(Duration.ofHours(1))));
        JobId none = waiting(1, Optional.empty());

        for (int run = 0; run < 5; run++) {
            collector.collect();
            clock.advance(Duration.ofMinutes(1));
        }

        assertTrue(job(roomy).waitsForBatch(), "55 min later the deadline still leaves more than 26 h");
        assertTrue(job(none).waitsForBatch());
        assertEquals(List.of(), syncQueue.drain());
    }

    @Test
    void aJobAskedForOnTheBatchLaneWithADeadlineThatNeverAllowedOneGetsTheBatchItAskedFor() {
        JobId asked = waitingAlone(Optional.of(T0.plus(Duration.ofHours(25))));

        assertEquals(0, collector.collect().toSyncLane(), "it asked for the batch lane knowing its deadline");
        assertTrue(job(asked).waitsForBatch());
        clock.advance(Duration.ofMinutes(10));
        collector.collect();

        assertTrue(job(asked).inBatch("b1"), "its batch, once due; should it end without it, the deadline decides");
        assertEquals(List.of(), syncQueue.drain());
    }

    @Test
    void aJobABatchTookIsNotMovedHoweverCloseItsDeadlineComes() {
        JobId tight = waiting(1, Optional.of(T0.plus(NEEDS).plusSeconds(90)));
        waiting(1);
        waiting(1);
        collector.collect();
        assertTrue(job(tight).inBatch("b1"));

        clock.advance(Duration.ofHours(3));
        assertEquals(0, collector.collect().toSyncLane());

        assertTrue(job(tight).inBatch("b1"), "its line is with the provider: the poller settles it");
        assertEquals(List.of(), syncQueue.drain());
    }

    @Test
    void aCollectorThatDiesBetweenTheMoveAndTheMessageSendsItOnItsNextRun() {
        FailingOnce queue = new FailingOnce(syncQueue);
        CollectBatches dying = new CollectBatches(jobs, batches, provider, support, settings, inputs, queue, clock, () -> "d1");
        JobId tight = waitingAlone(Optional.of(T0.plus(NEEDS).plusSeconds(30)));
        clock.advance(Duration.ofMinutes(1));

        assertThrows(IllegalStateException.class, dying::collect);
        assertEquals(Lane.SYNC, job(tight).lane().lane(), "moved, but its message was lost");
        assertEquals(List.of(), syncQueue.drain());

        dying.collect();
        assertEquals(List.of(tight), syncQueue.drain(), "sent by the next run");
        dying.collect();
        assertEquals(List.of(), syncQueue.drain(), "and only then");
    }

    @Test
    void aBatchRefusedForTheBatchQuotaTooCloseToTheDeadlineSendsItsJobsToTheSyncLane() {
        JobId tight = waiting(1, Optional.of(T0.plus(NEEDS).plusSeconds(300)));
        JobId roomy = waiting(1, Optional.of(T0.plus(Duration.ofHours(72))));
        waiting(1);
        provider.failOpen = Optional.of(new BatchProviderException("503", true));
        collector.collect(); // the intent stays, its jobs BATCHED in it
        provider.failOpen = Optional.of(BatchProviderException.overQuota("gemini batch create answered 429 RESOURCE_EXHAUSTED"));
        clock.advance(Duration.ofMinutes(16));

        collector.collect(); // reconciles the stale intent: the provider refuses it for its quota

        Job moved = job(tight);
        assertEquals(JobStatus.QUEUED, moved.status());
        assertEquals(Lane.SYNC, moved.lane().lane(), "11 min short of 26 h: no time for another batch");
        assertTrue(moved.lane().reason().contains("leaves too little for a batch") && moved.lane().reason().contains("batch quota"),
                moved.lane().reason());
        assertEquals(BatchQuota.OVER_QUOTA, moved.error().orElseThrow().type());
        assertEquals(List.of(tight), syncQueue.drain());
        assertTrue(job(roomy).waitsForBatch(), "time for another: it waits");
    }

    @Test
    void aCollectorThatDiesBeforeTheMessageOfAJobItsQuotaRefusalMovedSendsItWhenTheIntentIsReconciled() {
        CollectBatches dying = new CollectBatches(jobs, batches, provider, support, settings, inputs, new FailingOnce(syncQueue), clock,
                () -> "i" + ids.incrementAndGet());
        JobId tight = waiting(1, Optional.of(T0.plus(NEEDS).plusSeconds(300)));
        waiting(1);
        waiting(1);
        provider.failOpen = Optional.of(new BatchProviderException("503", true));
        dying.collect();
        provider.failOpen = Optional.of(BatchProviderException.overQuota("gemini batch create answered 429 RESOURCE_EXHAUSTED"));
        clock.advance(Duration.ofMinutes(16));

        assertThrows(IllegalStateException.class, dying::collect, "died right after moving the job, before its message");
        assertEquals(Lane.SYNC, job(tight).lane().lane());
        assertEquals(List.of(), syncQueue.drain());
        dying.collect(); // the intent is still INTENDED: reconciled again

        assertEquals(List.of(tight), syncQueue.drain());
    }

    @Test
    void aBatchTheProviderFailsForItsQuotaTooCloseToTheDeadlineSendsItsJobsToTheSyncLane() {
        provider.enqueuedLimit.put(PROJECT_A.id(), 1L);
        provider.enqueuedLimit.put(PROJECT_B.id(), 1L);
        provider.overQuotaAfterCreate = true; // OpenAI: made, then failed for its enqueued tokens
        JobId tight = waiting(1, Optional.of(T0.plus(NEEDS).plusSeconds(300)));
        JobId roomy = waiting(1, Optional.of(T0.plus(Duration.ofHours(72))));
        waiting(1);
        collector.collect();
        clock.advance(Duration.ofMinutes(10));

        poller.poll();

        assertEquals(Lane.SYNC, job(tight).lane().lane());
        assertEquals(JobStatus.QUEUED, job(tight).status());
        assertTrue(job(tight).lane().reason().contains("leaves too little for a batch"), job(tight).lane().reason());
        assertEquals(List.of(tight), syncQueue.drain());
        assertTrue(job(roomy).waitsForBatch());
    }

    @Test
    void aPollerThatDiesBeforeTheMessageOfAJobItsQuotaRefusalMovedSendsItWhenRunAgain() {
        provider.enqueuedLimit.put(PROJECT_A.id(), 1L);
        provider.enqueuedLimit.put(PROJECT_B.id(), 1L);
        provider.overQuotaAfterCreate = true;
        JobId tight = waiting(1, Optional.of(T0.plus(NEEDS).plusSeconds(300)));
        waiting(1);
        waiting(1);
        collector.collect();
        clock.advance(Duration.ofMinutes(10));
        PollBatches dying = new PollBatches(jobs, batches, provider, support, images, new FailingOnce(syncQueue), notices, metrics,
                TestCatalog.prices(), settings, clock);

        assertThrows(IllegalStateException.class, dying::poll);
        assertEquals(Lane.SYNC, job(tight).lane().lane());
        dying.poll();

        assertEquals(List.of(tight), syncQueue.drain());
    }

    @Test
    void refusalsForTheBatchQuotaDoNotUseUpTheBatchesAJobMayGoInto() {
        Account only = PROJECT_A;
        CollectBatches collector = new CollectBatches(jobs, batches, provider, new BatchSupport(TestCatalog.standard(),
                new AccountPool(List.of(only))), settings, inputs, syncQueue, clock, () -> "r" + ids.incrementAndGet());
        PollBatches poller = new PollBatches(jobs, batches, provider, new BatchSupport(TestCatalog.standard(), new AccountPool(List.of(only))),
                images, syncQueue, notices, metrics, TestCatalog.prices(), settings, clock);
        provider.enqueuedLimit.put(only.id(), 1L);
        provider.overQuotaAfterCreate = true;
        JobId job = waiting(1);
        waiting(1);
        waiting(1);
        for (int run = 0; run < 4; run++) {
            collector.collect();
            poller.poll();
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(4, job(job).attempts(), "4 batches refused, more than the 3 a job may go into");
        provider.enqueuedLimit.clear();
        provider.overQuotaAfterCreate = false;
        collector.collect();
        assertEquals(JobStatus.BATCHED, job(job).status());
        provider.unfinished.add(job.value());
        provider.finishAll(BatchState.EXPIRED);

        poller.poll();

        Job after = job(job);
        assertEquals(JobStatus.QUEUED, after.status(), "the one batch it ran in expired: it waits for another, not FAILED");
        assertTrue(after.waitsForBatch());
        assertEquals("batch_expired", after.error().orElseThrow().type());
        assertEquals(1, BatchQuota.batchesRun(after));
    }

    @Test
    void aJobEndsFailedAfterTheBatchesItRanInNotAfterItsRefusals() {
        Account only = PROJECT_A;
        BatchSupport one = new BatchSupport(TestCatalog.standard(), new AccountPool(List.of(only)));
        CollectBatches collector = new CollectBatches(jobs, batches, provider, one, settings, inputs, syncQueue, clock,
                () -> "f" + ids.incrementAndGet());
        PollBatches poller = new PollBatches(jobs, batches, provider, one, images, syncQueue, notices, metrics, TestCatalog.prices(), settings,
                clock);
        provider.enqueuedLimit.put(only.id(), 1L);
        provider.overQuotaAfterCreate = true;
        JobId job = waiting(1);
        waiting(1);
        waiting(1);
        collector.collect();
        poller.poll(); // one refusal
        clock.advance(Duration.ofMinutes(10));
        provider.enqueuedLimit.clear();
        provider.overQuotaAfterCreate = false;
        for (int batch = 1; batch <= 3; batch++) {
            collector.collect();
            provider.finishAll(BatchState.FAILED);
            poller.poll();
            clock.advance(Duration.ofMinutes(10));
        }

        Job after = job(job);
        assertEquals(JobStatus.FAILED, after.status(), "3 batches ran and failed: the most it may go into");
        assertEquals("batch_failed", after.error().orElseThrow().type());
        assertEquals(4, after.attempts());
        assertEquals(3, BatchQuota.batchesRun(after));
    }

    /** One job waiting alone, young: not enough for a batch, so it waits. */
    private JobId waitingAlone(Optional<Instant> deadline) {
        return waiting(1, deadline);
    }

    /** A queue whose first message is lost with the process that sent it. */
    private static final class FailingOnce implements JobQueue {
        private final JobQueue queue;
        private boolean failed;

        FailingOnce(JobQueue queue) {
            this.queue = queue;
        }

        @Override
        public void enqueue(JobId id) {
            if (!failed) {
                failed = true;
                throw new IllegalStateException("the process died before the message went");
            }
            queue.enqueue(id);
        }
    }
}
