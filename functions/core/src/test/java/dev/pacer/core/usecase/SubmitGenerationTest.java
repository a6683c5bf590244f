package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.Requeue;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubmitGenerationTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Submission FOX = new Submission("a fox", Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Map.of());
    private static final Optional<IdempotencyKey> KEY = Optional.of(new IdempotencyKey("batch-1:fox"));

    private final InMemoryJobs jobs = new InMemoryJobs();
    private final InMemoryJobQueue queue = new InMemoryJobQueue();
    private final RecordedMetrics metrics = new RecordedMetrics();
    /** The queue as the intake sees it: the in-memory one, refusing sends while {@link #refusing} is set. */
    private boolean refusing;
    private final List<JobId> refused = new ArrayList<>();
    private final JobQueue flakyQueue = id -> {
        if (refusing) {
            refused.add(id);
            throw new IllegalStateException("SQS is unavailable");
        }
        queue.enqueue(id);
    };
    private final SubmitGeneration submit = new SubmitGeneration(new SubmissionValidator(TestCatalog.standard(), SubmissionRules.standard()),
            new CallbackUrlPolicy(false), DeadlinePolicy.standard(), new CallerCap(jobs, CallerCap.Settings.off()), jobs, flakyQueue, metrics,
            Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void aJobTheQueueRefusesIsMarkedFailedAndTheErrorReachesTheCaller() {
        refusing = true;

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> submit.submit(FOX, "alice", KEY));

        assertEquals("SQS is unavailable", error.getMessage());
        Job job = jobs.find(refused.get(0)).orElseThrow();
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals("enqueue_failed", job.error().map(JobError::type).orElseThrow());
        assertTrue(job.error().orElseThrow().message().contains("new Idempotency-Key"), job::toString);
        assertEquals(List.of("failed enqueue_failed"), metrics.events());
    }

    @Test
    void aRetryOfAJobThatFailedToQueueIsAnsweredWithTheFailureAndQueuesNothing() {
        refusing = true;
        assertThrows(IllegalStateException.class, () -> submit.submit(FOX, "alice", KEY));
        refusing = false;

        SubmitGeneration.Submitted retried = submit.submit(FOX, "alice", KEY);

        assertTrue(retried.replayed());
        assertEquals(JobStatus.FAILED, retried.job().status());
        assertEquals(List.of(), queue.drain());
    }

    @Test
    void aRetryOfAJobNoWorkerClaimedQueuesItAgain() {
        // the first submission recorded the job, then its process stopped before SendMessage
        Job recorded = submit.submit(FOX, "alice", KEY).job();
        queue.drain();

        SubmitGeneration.Submitted retried = submit.submit(FOX, "alice", KEY);

        assertTrue(retried.replayed());
        assertEquals(recorded.id(), retried.job().id());
        assertEquals(List.of(recorded.id()), queue.drain(), "queued again");
        assertEquals(List.of("submitted " + recorded.request().model()), metrics.events(), "submitted once");
    }

    @Test
    void aRetryOfAJobAWorkerClaimedQueuesNothing() {
        Job recorded = submit.submit(FOX, "alice", KEY).job();
        queue.drain();
        jobs.claim(recorded.id(), T0, T0.plusSeconds(780));

        assertEquals(JobStatus.RUNNING, submit.submit(FOX, "alice", KEY).job().status());
        jobs.release(recorded.id(), new JobError("provider_overloaded", "503"), List.of(), T0.plusSeconds(20));

        SubmitGeneration.Submitted retried = submit.submit(FOX, "alice", KEY);
        assertEquals(JobStatus.QUEUED, retried.job().status(), "given back after an attempt, with the worker's message behind it");
        assertEquals(List.of(), queue.drain());
    }

    @Test
    void whenQueueingTheRetryFailsTooTheErrorReachesTheCallerAndTheJobIsLeftForTheNextRetry() {
        Job recorded = submit.submit(FOX, "alice", KEY).job();
        queue.drain();
        refusing = true;

        assertThrows(IllegalStateException.class, () -> submit.submit(FOX, "alice", KEY));

        assertEquals(JobStatus.QUEUED, jobs.find(recorded.id()).orElseThrow().status(), "its first message may still be on its way");
        refusing = false;
        submit.submit(FOX, "alice", KEY);
        assertEquals(List.of(recorded.id()), queue.drain());
    }

    @Test
    void whenMarkingTheJobFailedFailsTooTheQueuesErrorReachesTheCallerWithThatOneAttached() {
        IllegalStateException denied = new IllegalStateException("AccessDenied: dynamodb:UpdateItem");
        JobStore markFailedDenied = new MarkFailedRefused(jobs, denied);
        SubmitGeneration submitting = new SubmitGeneration(new SubmissionValidator(TestCatalog.standard(), SubmissionRules.standard()),
                new CallbackUrlPolicy(false), DeadlinePolicy.standard(), new CallerCap(markFailedDenied, CallerCap.Settings.off()),
                markFailedDenied, flakyQueue, metrics, Clock.fixed(T0, ZoneOffset.UTC));
        refusing = true;

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> submitting.submit(FOX, "alice", KEY));

        assertEquals("SQS is unavailable", error.getMessage());
        assertSame(denied, error.getSuppressed()[0]);
        assertTrue(jobs.find(refused.get(0)).orElseThrow().neverClaimed(), "left QUEUED: a retry queues it again");
        assertFalse(metrics.events().contains("failed enqueue_failed"));
    }

    /** The in-memory store, but every markFailed refused, as when the intake's role lacked UpdateItem. */
    private record MarkFailedRefused(InMemoryJobs jobs, RuntimeException refusal) implements JobStore {
        @Override
        public void create(Job job) {
            jobs.create(job);
        }

        @Override
        public IdempotentCreation createIdempotently(Job job, IdempotencyKey key, String requestFingerprint, Instant keyExpiresAt) {
            return jobs.createIdempotently(job, key, requestFingerprint, keyExpiresAt);
        }

        @Override
        public Optional<Job> find(JobId id) {
            return jobs.find(id);
        }

        @Override
        public Optional<Job> claim(JobId id, Instant now, Instant leaseUntil) {
            return jobs.claim(id, now, leaseUntil);
        }

        @Override
        public void markSucceeded(JobId id, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls, Instant now) {
            jobs.markSucceeded(id, images, shortfall, calls, now);
        }

        @Override
        public void markFailed(JobId id, JobError error, List<Attempt> calls, Instant now) {
            throw refusal;
        }

        @Override
        public long unfinished(String owner, long atMost) {
            return jobs.unfinished(owner, atMost);
        }

        @Override
        public Requeue release(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
            return jobs.release(id, lastError, calls, now);
        }

        @Override
        public Requeue waitForQuota(JobId id, Instant until, List<Attempt> calls, Instant now) {
            return jobs.waitForQuota(id, until, calls, now);
        }

        @Override
        public Requeue giveBack(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
            return jobs.giveBack(id, lastError, calls, now);
        }

        @Override
        public Optional<Job> cancel(JobId id, Instant now) {
            return jobs.cancel(id, now);
        }

        @Override
        public List<Job> waitingForBatch(String model, int limit) {
            return jobs.waitingForBatch(model, limit);
        }

        @Override
        public Optional<Job> batch(JobId id, String batchId, Instant now) {
            return jobs.batch(id, batchId, now);
        }

        @Override
        public boolean succeedBatched(JobId id, String batchId, List<StoredImage> images, Optional<JobError> shortfall,
                List<Attempt> calls, Instant now) {
            return jobs.succeedBatched(id, batchId, images, shortfall, calls, now);
        }

        @Override
        public boolean failBatched(JobId id, String batchId, JobError error, List<Attempt> calls, Instant now) {
            return jobs.failBatched(id, batchId, error, calls, now);
        }

        @Override
        public boolean unbatch(JobId id, String batchId, dev.pacer.core.job.LaneChoice lane, JobError why, List<Attempt> calls,
                Instant now) {
            return jobs.unbatch(id, batchId, lane, why, calls, now);
        }

        @Override
        public boolean moveToSyncLane(JobId id, String reason, Instant now) {
            return jobs.moveToSyncLane(id, reason, now);
        }

        @Override
        public List<Job> movedToSyncLane(String model, int limit) {
            return jobs.movedToSyncLane(model, limit);
        }

        @Override
        public void sentToSyncQueue(JobId id) {
            jobs.sentToSyncQueue(id);
        }

        @Override
        public Optional<Job> requestCancel(JobId id, Instant now) {
            return jobs.requestCancel(id, now);
        }

        @Override
        public void cancelInsteadOfRetry(JobId id, List<Attempt> calls, Instant now) {
            jobs.cancelInsteadOfRetry(id, calls, now);
        }

        @Override
        public void recordCallback(JobId id, Callback callback) {
            jobs.recordCallback(id, callback);
        }
    }
}
