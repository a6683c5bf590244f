package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.JobStore;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Just enough of a job store for the use cases' unit tests: the transitions they make, without the
 * conditions (those, and atomicity, are tested on the DynamoDB adapter against moto).
 */
final class InMemoryJobs implements JobStore {

    private final Map<JobId, Job> jobs = new HashMap<>();

    JobId add(GenerationRequest request, Instant now) {
        Job job = Job.queued(JobId.random(), "alice", request, now);
        create(job);
        return job.id();
    }

    @Override
    public void create(Job job) {
        jobs.put(job.id(), job);
    }

    @Override
    public IdempotentCreation createIdempotently(Job job, IdempotencyKey key, String requestFingerprint, Instant keyExpiresAt) {
        create(job);
        return new IdempotentCreation.Created();
    }

    @Override
    public Optional<Job> find(JobId id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public Optional<Job> claim(JobId id, Instant now, Instant leaseUntil) {
        Job j = jobs.get(id);
        if (j == null || (j.status() != JobStatus.QUEUED && j.status() != JobStatus.WAITING_FOR_QUOTA)) {
            return Optional.empty();
        }
        return Optional.of(put(new Job(j.id(), j.owner(), JobStatus.RUNNING, j.request(), j.createdAt(), Optional.of(now),
                j.finishedAt(), j.attempts() + 1, j.account(), j.images(), j.error(), j.attemptLog(), j.callback())));
    }

    @Override
    public void markSucceeded(JobId id, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls, Instant now) {
        put(with(jobs.get(id).withCalls(calls), JobStatus.SUCCEEDED, 0, images, shortfall, Optional.of(now)));
    }

    @Override
    public void markFailed(JobId id, JobError error, List<Attempt> calls, Instant now) {
        Job j = jobs.get(id).withCalls(calls);
        put(with(j, JobStatus.FAILED, 0, j.images(), Optional.of(error), Optional.of(now)));
    }

    @Override
    public void release(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
        Job j = jobs.get(id).withCalls(calls);
        put(with(j, JobStatus.QUEUED, 0, j.images(), Optional.of(lastError), j.finishedAt()));
    }

    @Override
    public void waitForQuota(JobId id, Instant until, List<Attempt> calls, Instant now) {
        Job j = jobs.get(id).withCalls(calls);
        put(with(j, JobStatus.WAITING_FOR_QUOTA, -1, j.images(), j.error(), j.finishedAt()));
    }

    @Override
    public void recordCallback(JobId id, Callback callback) {
        Job j = jobs.get(id);
        put(new Job(j.id(), j.owner(), j.status(), j.request(), j.createdAt(), j.startedAt(), j.finishedAt(), j.attempts(),
                j.account(), j.images(), j.error(), j.attemptLog(), Optional.of(callback)));
    }

    private static Job with(Job j, JobStatus status, int attemptsChange, List<StoredImage> images, Optional<JobError> error,
            Optional<Instant> finishedAt) {
        return new Job(j.id(), j.owner(), status, j.request(), j.createdAt(), j.startedAt(), finishedAt,
                j.attempts() + attemptsChange, j.account(), images, error, j.attemptLog(), j.callback());
    }

    private Job put(Job job) {
        jobs.put(job.id(), job);
        return job;
    }
}
