package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.JobTransition;
import dev.pacer.core.job.QuotaWaits;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.Requeue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job store in one JVM for the use cases' tests, with the DynamoDB store's rules: each write is checked against
 * its {@link JobTransition} and refused with an {@link IllegalStateException}, changing nothing, when the job may
 * not take it. {@link dev.pacer.core.port.JobStoreContract} runs against both.
 */
final class InMemoryJobs implements JobStore {

    private final Map<JobId, Job> jobs = new HashMap<>();
    private final Map<String, KeyedJob> idempotencyKeys = new HashMap<>();
    /** The jobs moved to the sync lane whose queue message was not yet said to be sent. */
    private final java.util.Set<JobId> movedToSyncLane = new java.util.HashSet<>();

    private record KeyedJob(JobId job, String requestFingerprint) {
    }

    JobId add(GenerationRequest request, Instant now) {
        Job job = Job.queued(JobId.random(), "alice", request, now);
        create(job);
        return job.id();
    }

    @Override
    public synchronized void create(Job job) {
        if (jobs.putIfAbsent(job.id(), job) != null) {
            throw new IllegalStateException("job " + job.id() + " exists");
        }
    }

    @Override
    public synchronized IdempotentCreation createIdempotently(Job job, IdempotencyKey key, String requestFingerprint,
            Instant keyExpiresAt) {
        String owned = job.owner() + "\u0000" + key.value();
        KeyedJob existing = idempotencyKeys.get(owned);
        if (existing != null) {
            return requestFingerprint.equals(existing.requestFingerprint())
                    ? new IdempotentCreation.AlreadySubmitted(existing.job())
                    : new IdempotentCreation.KeyReused(existing.job());
        }
        create(job);
        idempotencyKeys.put(owned, new KeyedJob(job.id(), requestFingerprint));
        return new IdempotentCreation.Created();
    }

    @Override
    public synchronized Optional<Job> find(JobId id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** How often {@link #unfinished} was asked: what a count costs the DynamoDB store is a Query. */
    private int unfinishedCounts;

    synchronized int unfinishedCounts() {
        return unfinishedCounts;
    }

    @Override
    public synchronized long unfinished(String owner, long atMost) {
        unfinishedCounts++;
        return Math.min(atMost, jobs.values().stream().filter(j -> j.owner().equals(owner) && !j.status().isTerminal()).count());
    }

    @Override
    public synchronized Optional<Job> claim(JobId id, Instant now, Instant leaseUntil) {
        Job j = jobs.get(id);
        if (j == null || !(JobTransition.CLAIM.allows(j, now) || JobTransition.TAKE_OVER.allows(j, now))) {
            return Optional.empty();
        }
        // the lease to the millisecond, as the DynamoDB store keeps it
        return Optional.of(put(with(j, JobStatus.RUNNING, Optional.of(now), j.finishedAt(), j.attempts() + 1, j.images(), j.error(),
                Optional.of(leaseUntil.truncatedTo(ChronoUnit.MILLIS)))));
    }

    @Override
    public synchronized void markSucceeded(JobId id, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls,
            Instant now) {
        Job j = taking(JobTransition.SUCCEED, id, now).withCalls(calls);
        put(with(j, JobStatus.SUCCEEDED, j.startedAt(), Optional.of(now), j.attempts(), images, shortfall, Optional.empty()));
    }

    @Override
    public synchronized void markFailed(JobId id, JobError error, List<Attempt> calls, Instant now) {
        Job j = taking(JobTransition.FAIL, id, now).withCalls(calls);
        put(with(j, JobStatus.FAILED, j.startedAt(), Optional.of(now), j.attempts(), j.images(), Optional.of(error), Optional.empty()));
    }

    @Override
    public synchronized Requeue release(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
        if (cancelledInstead(JobTransition.RELEASE, id, now)) {
            return Requeue.CANCEL_REQUESTED;
        }
        Job j = taking(JobTransition.RELEASE, id, now).withCalls(calls);
        put(with(j, JobStatus.QUEUED, j.startedAt(), j.finishedAt(), j.attempts(), j.images(), Optional.of(lastError), Optional.empty()));
        return Requeue.REQUEUED;
    }

    @Override
    public synchronized Requeue giveBack(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
        if (cancelledInstead(JobTransition.RELEASE, id, now)) {
            return Requeue.CANCEL_REQUESTED;
        }
        Job j = taking(JobTransition.RELEASE, id, now).withCalls(calls);
        put(with(j, JobStatus.QUEUED, j.startedAt(), j.finishedAt(), j.attempts() - 1, j.images(), Optional.of(lastError),
                Optional.empty()));
        return Requeue.REQUEUED;
    }

    @Override
    public synchronized Requeue waitForQuota(JobId id, Instant until, List<Attempt> calls, Instant now) {
        if (cancelledInstead(JobTransition.WAIT_FOR_QUOTA, id, now)) {
            return Requeue.CANCEL_REQUESTED;
        }
        Job j = taking(JobTransition.WAIT_FOR_QUOTA, id, now).withCalls(calls);
        Job waiting = with(j, JobStatus.WAITING_FOR_QUOTA, j.startedAt(), j.finishedAt(), j.attempts() - 1, j.images(), j.error(),
                Optional.empty());
        QuotaWaits waits = j.quotaWaits().map(earlier -> earlier.and(now)).orElseGet(() -> QuotaWaits.first(now));
        put(new Job(waiting.id(), waiting.owner(), waiting.status(), waiting.request(), waiting.createdAt(), waiting.startedAt(),
                waiting.finishedAt(), waiting.attempts(), waiting.account(), waiting.images(), waiting.error(), waiting.attemptLog(),
                waiting.callback(), waiting.leaseUntil(), waiting.deadline(), Optional.of(waits), waiting.cancelRequestedAt(), waiting.lane(),
                waiting.batchId()));
        return Requeue.REQUEUED;
    }

    @Override
    public synchronized Optional<Job> cancel(JobId id, Instant now) {
        Job j = jobs.get(id);
        if (j == null || !JobTransition.CANCEL.allows(j, now)) {
            return Optional.empty();
        }
        return Optional.of(put(with(j, JobStatus.CANCELLED, j.startedAt(), Optional.of(now), j.attempts(), j.images(), Optional.empty(),
                Optional.empty())));
    }

    @Override
    public synchronized Optional<Job> requestCancel(JobId id, Instant now) {
        Job j = jobs.get(id);
        if (j == null || !JobTransition.REQUEST_CANCEL.allows(j, now)) {
            return Optional.empty();
        }
        // the first request's time is kept
        Optional<Instant> requested = j.cancelRequestedAt().or(() -> Optional.of(now));
        return Optional.of(put(new Job(j.id(), j.owner(), j.status(), j.request(), j.createdAt(), j.startedAt(), j.finishedAt(),
                j.attempts(), j.account(), j.images(), j.error(), j.attemptLog(), j.callback(), j.leaseUntil(), j.deadline(),
                j.quotaWaits(), requested, j.lane(), j.batchId())));
    }

    @Override
    public synchronized void cancelInsteadOfRetry(JobId id, List<Attempt> calls, Instant now) {
        Job j = taking(JobTransition.CANCEL_INSTEAD_OF_RETRY, id, now).withCalls(calls);
        put(with(j, JobStatus.CANCELLED, j.startedAt(), Optional.of(now), j.attempts(), j.images(), Optional.empty(), Optional.empty()));
    }

    /** A move that would try the job again is refused, but the attempt may end it cancelled instead. */
    private boolean cancelledInstead(JobTransition retry, JobId id, Instant now) {
        Job j = jobs.get(id);
        return j != null && !retry.allows(j, now) && JobTransition.CANCEL_INSTEAD_OF_RETRY.allows(j, now);
    }

    @Override
    public synchronized void recordCallback(JobId id, Callback callback) {
        // no lease rule here, so any time will do: the port gives none
        Job j = taking(JobTransition.RECORD_CALLBACK, id, Instant.EPOCH);
        put(new Job(j.id(), j.owner(), j.status(), j.request(), j.createdAt(), j.startedAt(), j.finishedAt(), j.attempts(),
                j.account(), j.images(), j.error(), j.attemptLog(), Optional.of(callback), j.leaseUntil(), j.deadline(), j.quotaWaits(),
                j.cancelRequestedAt(), j.lane(), j.batchId()));
    }

    /** The job, if it may take {@code transition} at {@code now}. */
    private Job taking(JobTransition transition, JobId id, Instant now) {
        Job j = jobs.get(id);
        if (j == null) {
            throw new IllegalStateException("no job " + id);
        }
        if (!transition.allows(j, now)) {
            throw new IllegalStateException("job " + id + " is " + j.status() + ": " + transition + " starts from " + transition.from());
        }
        return j;
    }

    private static Job with(Job j, JobStatus status, Optional<Instant> startedAt, Optional<Instant> finishedAt, int attempts,
            List<StoredImage> images, Optional<JobError> error, Optional<Instant> leaseUntil) {
        return new Job(j.id(), j.owner(), status, j.request(), j.createdAt(), startedAt, finishedAt, attempts, j.account(), images,
                error, j.attemptLog(), j.callback(), leaseUntil, j.deadline(), j.quotaWaits(), j.cancelRequestedAt(), j.lane(), j.batchId());
    }

    @Override
    public synchronized List<Job> waitingForBatch(String model, int limit) {
        return jobs.values().stream()
                .filter(j -> j.waitsForBatch() && j.request().model().equals(model))
                .sorted(java.util.Comparator.comparing(Job::createdAt))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<Job> batch(JobId id, String batchId, Instant now) {
        Job j = jobs.get(id);
        if (j == null || !JobTransition.BATCH.allows(j, now)) {
            return Optional.empty();
        }
        Job batched = with(j, JobStatus.BATCHED, Optional.of(now), j.finishedAt(), j.attempts() + 1, j.images(), j.error(), Optional.empty());
        return Optional.of(put(inBatch(batched, j.lane(), Optional.of(batchId))));
    }

    @Override
    public synchronized boolean succeedBatched(JobId id, String batchId, List<StoredImage> images, Optional<JobError> shortfall,
            List<Attempt> calls, Instant now) {
        Optional<Job> found = inBatch(JobTransition.SUCCEED_BATCHED, id, batchId, now);
        found.map(j -> j.withCalls(calls)).ifPresent(j ->
                put(with(j, JobStatus.SUCCEEDED, j.startedAt(), Optional.of(now), j.attempts(), images, shortfall, Optional.empty())));
        return found.isPresent();
    }

    @Override
    public synchronized boolean failBatched(JobId id, String batchId, JobError error, List<Attempt> calls, Instant now) {
        Optional<Job> found = inBatch(JobTransition.FAIL_BATCHED, id, batchId, now);
        found.map(j -> j.withCalls(calls)).ifPresent(j ->
                put(with(j, JobStatus.FAILED, j.startedAt(), Optional.of(now), j.attempts(), j.images(), Optional.of(error), Optional.empty())));
        return found.isPresent();
    }

    @Override
    public synchronized boolean unbatch(JobId id, String batchId, dev.pacer.core.job.LaneChoice lane, JobError why, List<Attempt> calls,
            Instant now) {
        Optional<Job> found = inBatch(JobTransition.UNBATCH, id, batchId, now).map(j -> j.withCalls(calls));
        found.ifPresent(j -> put(inBatch(with(j, JobStatus.QUEUED, j.startedAt(), j.finishedAt(), j.attempts(), j.images(), Optional.of(why),
                Optional.empty()), lane, j.batchId())));
        return found.isPresent();
    }

    @Override
    public synchronized boolean moveToSyncLane(JobId id, String reason, Instant now) {
        Job j = jobs.get(id);
        if (j == null || !JobTransition.MOVE_TO_SYNC_LANE.allows(j, now)) {
            return false;
        }
        put(j.withLane(new dev.pacer.core.job.LaneChoice(dev.pacer.core.job.Lane.SYNC, reason)));
        movedToSyncLane.add(id);
        return true;
    }

    @Override
    public synchronized List<Job> movedToSyncLane(String model, int limit) {
        return movedToSyncLane.stream().map(jobs::get)
                .filter(j -> j.request().model().equals(model))
                .sorted(java.util.Comparator.comparing(Job::createdAt))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized void sentToSyncQueue(JobId id) {
        movedToSyncLane.remove(id);
    }

    private Optional<Job> inBatch(JobTransition transition, JobId id, String batchId, Instant now) {
        return Optional.ofNullable(jobs.get(id)).filter(j -> transition.allows(j, now) && j.batchId().filter(batchId::equals).isPresent());
    }

    private static Job inBatch(Job j, dev.pacer.core.job.LaneChoice lane, Optional<String> batchId) {
        return new Job(j.id(), j.owner(), j.status(), j.request(), j.createdAt(), j.startedAt(), j.finishedAt(), j.attempts(), j.account(),
                j.images(), j.error(), j.attemptLog(), j.callback(), j.leaseUntil(), j.deadline(), j.quotaWaits(), j.cancelRequestedAt(), lane,
                batchId);
    }

    private Job put(Job job) {
        jobs.put(job.id(), job);
        return job;
    }
}
