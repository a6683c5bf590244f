package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Lane;
import dev.pacer.core.port.ProviderOutcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollBatchesTest extends BatchLaneFixture {

    private List<JobId> batchOf(int jobs, int imagesEach) {
        List<JobId> ids = new java.util.ArrayList<>();
        for (int n = 0; n < jobs; n++) {
            ids.add(waiting(imagesEach));
        }
        clock.advance(Duration.ofMinutes(10));
        collector.collect();
        return ids;
    }

    @Test
    void anUnfinishedBatchIsOnlyPolledAndItsStateKept() {
        List<JobId> ids = batchOf(3, 1);
        provider.finish("batches/1", BatchState.RUNNING);

        PollBatches.Polled polled = poller.poll();

        assertEquals(1, polled.polled());
        assertEquals(0, polled.settled());
        assertEquals(BatchState.RUNNING, batches.find("b1").orElseThrow().provider().orElseThrow().state());
        assertEquals(JobStatus.BATCHED, job(ids.get(0)).status());
    }

    @Test
    void aSucceededBatchEndsEachJobWithItsImagesAtItsUsualKeysPricedAtTheBatchPrice() {
        List<JobId> ids = batchOf(3, 2);
        provider.finishAll(BatchState.SUCCEEDED);
        clock.advance(Duration.ofHours(3));

        PollBatches.Polled polled = poller.poll();

        assertEquals(3, polled.succeeded());
        Job done = job(ids.get(0));
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(List.of("generations/" + done.id() + "/0.png", "generations/" + done.id() + "/1.png"),
                done.images().stream().map(image -> image.key()).toList());
        Attempt call = done.attemptLog().get(0);
        assertEquals(new BigDecimal("0.067").multiply(new BigDecimal("0.5")).multiply(BigDecimal.valueOf(2)).compareTo(call.estimatedCostUsd()), 0,
                "half the sync price of 2 images: " + call.estimatedCostUsd());
        assertEquals("gemini-batch", call.provider());
        assertEquals(Duration.ofHours(3), call.latency());
        assertEquals(BatchRecord.Phase.DONE, batches.find("b1").orElseThrow().phase());
        assertEquals(0, poller.poll().polled(), "a done batch is not polled again");
    }

    @Test
    void aBatchedEditPaysItsInputTokensOnEachLineThatCameBackAtTheBatchRate() {
        JobId edit = waitingEdit(2);
        clock.advance(Duration.ofMinutes(10));
        collector.collect();
        provider.finishAll(BatchState.SUCCEEDED);

        poller.poll();

        Attempt call = job(edit).attemptLog().get(0);
        // 2 images at half of 0.067, and 2 Gemini requests each carrying one 560-token input at half of $0.50 per million
        BigDecimal images = new BigDecimal("0.067").multiply(new BigDecimal("0.5")).multiply(BigDecimal.valueOf(2));
        BigDecimal inputs = new BigDecimal("0.5").multiply(BigDecimal.valueOf(2 * 560)).divide(BigDecimal.valueOf(1_000_000))
                .multiply(new BigDecimal("0.5"));
        assertEquals(0, images.add(inputs).compareTo(call.estimatedCostUsd()), "images and input tokens at the batch rate: "
                + call.estimatedCostUsd());
        assertEquals(0, TestCatalog.prices().inputEstimate(job(edit).request(), 2).multiply(new BigDecimal("0.5"))
                .compareTo(inputs), "half what the sync lane's attempt log charges for the same inputs");
    }

    @Test
    void aJobWithACallbackIsAnnouncedWhenItsBatchEndsIt() {
        Job hooked = Job.queued(JobId.random(), "alice", new dev.pacer.core.job.GenerationRequest("a fox", MODEL,
                dev.pacer.core.job.Resolution.ONE_K, "1:1", 1, java.util.Map.of()), clock.instant())
                .withLane(BATCH_LANE).withCallback(java.net.URI.create("https://hooks.example/pacer"));
        jobs.create(hooked);
        JobId plain = waiting(1);
        clock.advance(Duration.ofMinutes(10));
        collector.collect();
        provider.finishAll(BatchState.SUCCEEDED);

        poller.poll();

        assertEquals(List.of(new RecordedNotices.Notice(hooked.id(), Duration.ZERO)), notices.sent, "only the job with a callback");
        assertEquals(JobStatus.SUCCEEDED, job(plain).status());
        assertTrue(metrics.events().stream().filter(e -> e.startsWith("succeeded")).count() >= 2, metrics.events()::toString);
    }

    @Test
    void eachLineEndsItsOwnJobWithTheSameClassificationAsTheSyncLane() {
        List<JobId> ids = batchOf(4, 2);
        JobId refused = ids.get(0);
        JobId oneImageBlocked = ids.get(1);
        JobId passingError = ids.get(2);
        provider.answer = line -> {
            if (line.jobId().equals(refused.value())) {
                return List.of(new BatchLineResult(line.jobId(), 0, new ProviderOutcome.Refused("safety_block", "IMAGE_SAFETY")));
            }
            if (line.jobId().equals(oneImageBlocked.value())) {
                // Gemini answers each image on its own line
                return List.of(new BatchLineResult(line.jobId(), 0, ScriptedBatchProvider.images(1)),
                        new BatchLineResult(line.jobId(), 1, new ProviderOutcome.Refused("safety_block", "IMAGE_SAFETY")));
            }
            if (line.jobId().equals(passingError.value())) {
                return List.of(new BatchLineResult(line.jobId(), 0, new ProviderOutcome.RetryLater("provider_unavailable", "503")));
            }
            return List.of(new BatchLineResult(line.jobId(), 0, ScriptedBatchProvider.images(2)));
        };
        provider.finishAll(BatchState.SUCCEEDED);

        poller.poll();

        assertEquals(JobStatus.FAILED, job(refused).status());
        assertEquals("safety_block", job(refused).error().orElseThrow().type());
        assertEquals(Attempt.Outcome.REFUSED, job(refused).attemptLog().get(0).outcome());
        Job short1 = job(oneImageBlocked);
        assertEquals(JobStatus.SUCCEEDED, short1.status());
        assertEquals(1, short1.images().size());
        assertEquals("safety_block", short1.shortfall().orElseThrow().type());
        Job again = job(passingError);
        assertEquals(JobStatus.QUEUED, again.status(), "a passing error is asked for again, in another batch");
        assertEquals(Lane.BATCH, again.lane().lane());
        assertEquals(1, jobs.waitingForBatch(MODEL, 10).size());
        assertEquals(JobStatus.SUCCEEDED, job(ids.get(3)).status());
    }

    @Test
    void anExpiredBatchKeepsItsFinishedLinesAndSendsTheRestToTheNextBatchOrToTheSyncLaneWhenTheDeadlineIsNear() {
        JobId finished = waiting(1);
        JobId roomy = waiting(1, Optional.of(T0.plusSeconds(72 * 3600)));
        JobId tight = waiting(1, Optional.of(T0.plusSeconds(50 * 3600)));
        clock.advance(Duration.ofMinutes(1));
        collector.collect();
        provider.unfinished.add(roomy.value());
        provider.unfinished.add(tight.value());
        provider.finishAll(BatchState.EXPIRED);
        clock.advance(Duration.ofHours(30));

        PollBatches.Polled polled = poller.poll();

        assertEquals(1, polled.succeeded());
        assertEquals(2, polled.requeued());
        assertEquals(JobStatus.SUCCEEDED, job(finished).status());
        assertEquals(JobStatus.QUEUED, job(roomy).status());
        assertEquals(Lane.BATCH, job(roomy).lane().lane(), "42 h left: time for another batch");
        assertEquals("batch_expired", job(roomy).error().orElseThrow().type());
        assertEquals(Lane.SYNC, job(tight).lane().lane(), "20 h left: the sync lane");
        assertEquals(List.of(tight), syncQueue.drain());
        Attempt expired = job(tight).attemptLog().get(0);
        assertEquals(1, expired.number(), "the batch is the job's first attempt, logged: not a lost call for the sync lane");
        assertEquals(Attempt.Outcome.RETRY_LATER, expired.outcome());
        assertEquals(Optional.of("batch_expired"), expired.errorType());
        assertEquals(0, expired.estimatedCostUsd().signum(), "a line that did not come back is not billed");
        assertEquals(List.of(roomy), jobs.waitingForBatch(MODEL, 10).stream().map(Job::id).toList());
    }

    @Test
    void aFailedBatchRequeuesItsJobsAndAJobWhoseBatchesKeepFailingEndsFailedAfterItsAttempts() {
        List<JobId> ids = batchOf(3, 1);
        for (int batch = 1; batch <= 3; batch++) {
            provider.finishAll(BatchState.FAILED);
            poller.poll();
            clock.advance(Duration.ofMinutes(10));
            collector.collect();
        }

        Job job = job(ids.get(0));
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals("batch_failed", job.error().orElseThrow().type());
        assertEquals(3, job.attempts());
        assertEquals(List.of(1, 2, 3), job.attemptLog().stream().map(Attempt::number).toList(), "each batch logged once");
        assertTrue(metrics.events().contains("failed batch_failed"), metrics.events()::toString);
    }

    @Test
    void aPollerThatDiesBetweenBatchDoneAndJobsEndedIsRunAgainAndNoJobIsAskedForOrEndedTwice() {
        List<JobId> ids = batchOf(3, 2);
        provider.finishAll(BatchState.SUCCEEDED);
        // the first run ends the first job, then dies on the second
        PollBatches dying = new PollBatches(DyingAfter.of(jobs, 1), batches, provider, support, images, syncQueue, notices, metrics,
                dev.pacer.core.catalog.TestCatalog.prices(), settings, clock);
        try {
            dying.poll();
        } catch (IllegalStateException died) {
            // the Lambda ended here
        }
        assertEquals(JobStatus.SUCCEEDED, job(ids.get(0)).status());
        assertEquals(JobStatus.BATCHED, job(ids.get(1)).status());
        assertEquals(BatchRecord.Phase.OPEN, batches.find("b1").orElseThrow().phase());

        poller.poll();

        for (JobId id : ids) {
            Job job = job(id);
            assertEquals(JobStatus.SUCCEEDED, job.status());
            assertEquals(1, job.attemptLog().size(), "one entry per batch: nothing paid twice");
            assertEquals(2, job.images().size());
        }
        assertEquals(1, provider.batches.size(), "no line asked for again");
        assertEquals(3 * 2 + 2 * 2, images.puts(), "the first run wrote every image; the second only those of the jobs it ended");
        assertEquals(BatchRecord.Phase.DONE, batches.find("b1").orElseThrow().phase());
    }

    /** The job store of a process that dies after {@code ends} jobs were ended: every later write throws. */
    private static final class DyingAfter {
        static dev.pacer.core.port.JobStore of(dev.pacer.core.port.JobStore store, int ends) {
            int[] left = {ends};
            return (dev.pacer.core.port.JobStore) java.lang.reflect.Proxy.newProxyInstance(DyingAfter.class.getClassLoader(),
                    new Class<?>[] {dev.pacer.core.port.JobStore.class}, (proxy, method, args) -> {
                        if (method.getName().endsWith("Batched") && left[0]-- <= 0) {
                            throw new IllegalStateException("the process died");
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
