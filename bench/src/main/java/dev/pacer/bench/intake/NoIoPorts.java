package dev.pacer.bench.intake;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.Requeue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The intake's outside systems with their I/O taken out, for {@link IntakeSubmitBench} only: a submission's one
 * PutItem and one SendMessage become nothing, so the benchmark times what pacer adds around them. Never used by a test.
 */
final class NoIoPorts implements JobStore, JobQueue, ImageStore, CompletionNotices {

    @Override
    public void create(Job job) {
    }

    @Override
    public IdempotentCreation createIdempotently(Job job, IdempotencyKey key, String requestFingerprint, Instant keyExpiresAt) {
        return new IdempotentCreation.Created();
    }

    @Override
    public Optional<Job> find(JobId id) {
        return Optional.empty();
    }

    @Override
    public long unfinished(String owner, long atMost) {
        return 0;
    }

    @Override
    public void jobFinished(JobId id) {
    }

    @Override
    public void retryAfter(JobId id, Duration delay) {
    }

    @Override
    public Optional<Job> claim(JobId id, Instant now, Instant leaseUntil) {
        return Optional.empty();
    }

    @Override
    public void markSucceeded(JobId id, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls, Instant now) {
    }

    @Override
    public void markFailed(JobId id, JobError error, List<Attempt> calls, Instant now) {
    }

    @Override
    public Requeue release(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
        return Requeue.REQUEUED;
    }

    @Override
    public Requeue giveBack(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
        return Requeue.REQUEUED;
    }

    @Override
    public Requeue waitForQuota(JobId id, Instant until, List<Attempt> calls, Instant now) {
        return Requeue.REQUEUED;
    }

    @Override
    public Optional<Job> cancel(JobId id, Instant now) {
        return Optional.empty();
    }

    @Override
    public List<Job> waitingForBatch(String model, int limit) {
        return List.of();
    }

    @Override
    public Optional<Job> batch(JobId id, String batchId, Instant now) {
        return Optional.empty();
    }

    @Override
    public boolean succeedBatched(JobId id, String batchId, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls,
            Instant now) {
        return false;
    }

    @Override
    public boolean failBatched(JobId id, String batchId, JobError error, List<Attempt> calls, Instant now) {
        return false;
    }

    @Override
    public boolean unbatch(JobId id, String batchId, dev.pacer.core.job.LaneChoice lane, JobError why, List<Attempt> calls, Instant now) {
        return false;
    }

    @Override
    public boolean moveToSyncLane(JobId id, String reason, Instant now) {
        return false;
    }

    @Override
    public List<Job> movedToSyncLane(String model, int limit) {
        return List.of();
    }

    @Override
    public void sentToSyncQueue(JobId id) {
    }

    @Override
    public Optional<Job> requestCancel(JobId id, Instant now) {
        return Optional.empty();
    }

    @Override
    public void cancelInsteadOfRetry(JobId id, List<Attempt> calls, Instant now) {
    }

    @Override
    public void recordCallback(JobId id, Callback callback) {
    }

    @Override
    public void enqueue(JobId id) {
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
    }

    @Override
    public List<StoredImage> stored(String prefix) {
        return List.of();
    }

    @Override
    public URI presignedGet(String key, Duration validFor) {
        // signing is local work in the SDK, no I/O; a fixed address stands in for it
        return URI.create("https://images.invalid/" + key);
    }
}
