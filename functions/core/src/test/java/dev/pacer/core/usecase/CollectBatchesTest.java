package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.port.BatchProviderException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectBatchesTest extends BatchLaneFixture {

    @Test
    void fewYoungJobsWaitUntilTheOldestHasWaitedTheMaximumAge() {
        JobId first = waiting(1);
        JobId second = waiting(2);

        assertEquals(0, collector.collect().opened(), "2 jobs are fewer than 3 and younger than 10 minutes");
        assertEquals(JobStatus.QUEUED, job(first).status());

        clock.advance(Duration.ofMinutes(10));
        CollectBatches.Collected collected = collector.collect();

        assertEquals(1, collected.opened());
        assertEquals(2, collected.jobs());
        BatchRecord record = batches.find("b1").orElseThrow();
        assertEquals(BatchRecord.Phase.OPEN, record.phase());
        assertEquals(List.of(first.value(), second.value()), record.jobIds());
        assertEquals("pacer-b1", provider.batches.get("batches/1").displayName());
        assertEquals(2, provider.batches.get("batches/1").lines().size(), "one line per job; the adapter splits a job into images");
        assertTrue(job(first).inBatch("b1"));
        assertEquals(1, job(first).attempts());
    }

    @Test
    void enoughWaitingJobsCloseABatchAtOnce() {
        waiting(1);
        waiting(1);
        waiting(1);

        assertEquals(1, collector.collect().opened());
    }

    @Test
    void editsAndGenerationsWaitingForTheSameModelGoInSeparateBatches() {
        JobId fox = waiting(1);
        JobId snowFox = waitingEdit(1);
        JobId owl = waiting(2);
        JobId snowOwl = waitingEdit(1);
        JobId hare = waiting(1);
        JobId snowHare = waitingEdit(2);

        CollectBatches.Collected collected = collector.collect();

        assertEquals(2, collected.opened(), "3 generations and 3 edits: each kind enough for a batch of its own");
        assertEquals(6, collected.jobs());
        List<List<String>> lines = provider.batches.values().stream()
                .map(made -> made.lines().stream().map(line -> line.jobId()).toList()).toList();
        assertEquals(List.of(List.of(fox.value(), owl.value(), hare.value()), List.of(snowFox.value(), snowOwl.value(), snowHare.value())), lines);
        for (ScriptedBatchProvider.Made made : provider.batches.values()) {
            assertEquals(1, made.lines().stream().map(line -> line.request().isEdit()).distinct().count(), "one kind per batch");
        }
    }

    @Test
    void aKindTooFewAndTooYoungWaitsWhileTheOtherKindsBatchCloses() {
        waiting(1);
        waiting(1);
        waiting(1);
        JobId edit = waitingEdit(1);

        assertEquals(1, collector.collect().opened(), "the generations are enough; one edit alone is not, yet");
        assertEquals(JobStatus.QUEUED, job(edit).status());

        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, collector.collect().opened(), "the edit has waited the maximum age: a batch of its own");
        assertTrue(job(edit).status() == JobStatus.BATCHED);
        assertEquals(2, provider.batches.size());
    }

    @Test
    void anEditWhoseInputIsGoneSinceIntakeEndsFailedAndTheBatchOpensWithoutIt() {
        JobId kept = waitingEdit(1);
        JobId gone = waitingEdit(1, "uploads/alice/deleted");
        JobId other = waitingEdit(1);

        CollectBatches.Collected collected = collector.collect();

        assertEquals(1, collected.opened());
        assertEquals(JobStatus.FAILED, job(gone).status());
        assertEquals("input_unreadable", job(gone).error().orElseThrow().type());
        assertTrue(job(gone).error().orElseThrow().message().contains("upload:u1"), job(gone).error().orElseThrow().message());
        assertEquals(List.of(kept.value(), other.value()),
                provider.batches.get("batches/1").lines().stream().map(line -> line.jobId()).toList());
        assertEquals(List.of(kept.value(), other.value()), batches.find("b1").orElseThrow().jobIds(), "the batch holds the jobs it was opened with");
    }

    @Test
    void aBatchHoldsAtMostTheSizeLimitAndTheAccountWithFewestOpenBatchesGetsTheNext() {
        List<JobId> ids = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            ids.add(waiting(1));
        }

        CollectBatches.Collected collected = collector.collect();

        assertEquals(2, collected.opened(), "two full batches; the 2 left are too few and too young");
        assertEquals(10, collected.jobs());
        assertEquals(List.of("project-a", "project-b"),
                provider.batches.values().stream().map(made -> made.account().id()).toList());
        assertEquals(JobStatus.QUEUED, job(ids.get(11)).status());
    }

    @Test
    void noAccountOpensMoreThanItsBoundOfConcurrentBatches() {
        for (int n = 0; n < 30; n++) {
            waiting(1);
        }

        collector.collect();
        collector.collect();

        assertEquals(4, provider.batches.size(), "2 accounts x 2 open batches each");
        assertEquals(2, batches.unfinished("project-a").size());
        assertEquals(10, jobs.waitingForBatch(MODEL, 100).size(), "the rest wait until a batch is done");
    }

    @Test
    void anIntentWhoseOpenFailedIsOpenedByALaterRunOnceItIsStaleAndItsJobsAreInNoOtherBatch() {
        JobId a = waiting(1);
        JobId b = waiting(1);
        JobId c = waiting(1);
        provider.failOpen = Optional.of(new BatchProviderException("503 from the provider", true));

        collector.collect();

        assertEquals(BatchRecord.Phase.INTENDED, batches.find("b1").orElseThrow().phase(), "the intent was recorded first");
        assertTrue(job(a).inBatch("b1"), "its jobs are taken, so no other batch takes them");
        provider.failOpen = Optional.empty();
        waiting(1);
        waiting(1);
        collector.collect();
        assertEquals(0, provider.batches.size(), "a fresh intent may still be another run's: left alone; 2 new jobs are too few");

        clock.advance(Duration.ofMinutes(15));
        CollectBatches.Collected collected = collector.collect();

        assertEquals(1, collected.reconciled());
        assertEquals(BatchRecord.Phase.OPEN, batches.find("b1").orElseThrow().phase());
        assertEquals(List.of(a.value(), b.value(), c.value()), batches.find("b1").orElseThrow().jobIds());
        assertEquals(2, provider.batches.size(), "the intent's batch, and one of the 2 jobs that have now waited 15 minutes");
        assertEquals(3, provider.batches.get("batches/1").lines().size());
    }

    @Test
    void aBatchMadeByARunThatDiedBeforeRecordingItIsAdoptedByItsDisplayNameNotMadeAgain() {
        waiting(1);
        waiting(1);
        waiting(1);
        provider.failAfterMaking = true;

        collector.collect();
        provider.failAfterMaking = false;
        clock.advance(Duration.ofMinutes(16));
        collector.collect();

        assertEquals(1, provider.batches.size(), "never made twice");
        BatchRecord record = batches.find("b1").orElseThrow();
        assertEquals(BatchRecord.Phase.OPEN, record.phase());
        assertEquals("batches/1", record.provider().orElseThrow().name());
    }

    @Test
    void anIntentWhoseRunDiedWhileTakingItsJobsTakesTheRestWhenReconciled() {
        JobId a = waiting(1);
        JobId b = waiting(1);
        // the run recorded the intent for both and died after taking the first
        batches.create(BatchRecord.intended("crashed", "project-a", MODEL, List.of(a.value(), b.value()), clock.instant()));
        jobs.batch(a, "crashed", clock.instant()).orElseThrow();

        clock.advance(Duration.ofMinutes(15));
        collector.collect();

        assertTrue(job(b).inBatch("crashed"));
        assertEquals(List.of(a.value(), b.value()), batches.find("crashed").orElseThrow().jobIds());
        assertEquals(1, provider.batches.size());
    }

    @Test
    void aBatchTheProviderRefusesEndsItsJobsFailedVisibly() {
        JobId a = waiting(1);
        waiting(1);
        waiting(1);
        provider.failOpen = Optional.of(new BatchProviderException("400: model does not support batch", false));

        collector.collect();

        assertEquals(JobStatus.FAILED, job(a).status());
        assertEquals("batch_refused", job(a).error().orElseThrow().type());
        assertEquals(BatchRecord.Phase.DONE, batches.find("b1").orElseThrow().phase());
    }
}
