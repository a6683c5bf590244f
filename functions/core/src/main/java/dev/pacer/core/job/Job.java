package dev.pacer.core.job;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A generation job as the job store keeps it. {@code owner} is the caller who submitted it: only they
 * may read it. {@code attempts} counts claims; {@code attemptLog} holds one entry per provider call
 * made, written with the status its attempt ended in (a crashed attempt leaves none until a later one logs it as
 * lost). {@code callback}, when the caller gave a URL, is where the finished job is POSTed and how its delivery went.
 * {@code leaseUntil} is how long the attempt that claimed a RUNNING job holds it; which {@link JobTransition} a job
 * may take depends on its status, on that lease, and on {@code cancelRequestedAt}: when its owner asked to cancel it
 * while it ran (it is then not tried again). {@code deadline}, when the caller gave one, is how long it may wait for
 * quota; {@code quotaWaits} sums up the waits it made. {@code lane} is how it is run (the sync lane's blocking call or
 * a provider's Batch API) and why; {@code batchId}, on the batch lane, the batch record pacer put it in last.
 */
public record Job(
        JobId id,
        String owner,
        JobStatus status,
        GenerationRequest request,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        int attempts,
        Optional<String> account,
        List<StoredImage> images,
        Optional<JobError> error,
        List<Attempt> attemptLog,
        Optional<Callback> callback,
        Optional<Instant> leaseUntil,
        Optional<Instant> deadline,
        Optional<QuotaWaits> quotaWaits,
        Optional<Instant> cancelRequestedAt,
        LaneChoice lane,
        Optional<String> batchId) {

    /** A job of the sync lane, in no batch. */
    public Job(JobId id, String owner, JobStatus status, GenerationRequest request, Instant createdAt, Optional<Instant> startedAt,
            Optional<Instant> finishedAt, int attempts, Optional<String> account, List<StoredImage> images, Optional<JobError> error,
            List<Attempt> attemptLog, Optional<Callback> callback, Optional<Instant> leaseUntil, Optional<Instant> deadline,
            Optional<QuotaWaits> quotaWaits, Optional<Instant> cancelRequestedAt) {
        this(id, owner, status, request, createdAt, startedAt, finishedAt, attempts, account, images, error, attemptLog, callback,
                leaseUntil, deadline, quotaWaits, cancelRequestedAt, LaneChoice.SYNC_BY_DEFAULT, Optional.empty());
    }

    /** A job nobody asked to cancel while it ran. */
    public Job(JobId id, String owner, JobStatus status, GenerationRequest request, Instant createdAt, Optional<Instant> startedAt,
            Optional<Instant> finishedAt, int attempts, Optional<String> account, List<StoredImage> images, Optional<JobError> error,
            List<Attempt> attemptLog, Optional<Callback> callback, Optional<Instant> leaseUntil, Optional<Instant> deadline,
            Optional<QuotaWaits> quotaWaits) {
        this(id, owner, status, request, createdAt, startedAt, finishedAt, attempts, account, images, error, attemptLog, callback,
                leaseUntil, deadline, quotaWaits, Optional.empty());
    }

    /** A job without a deadline that never waited for quota. */
    public Job(JobId id, String owner, JobStatus status, GenerationRequest request, Instant createdAt, Optional<Instant> startedAt,
            Optional<Instant> finishedAt, int attempts, Optional<String> account, List<StoredImage> images, Optional<JobError> error,
            List<Attempt> attemptLog, Optional<Callback> callback, Optional<Instant> leaseUntil) {
        this(id, owner, status, request, createdAt, startedAt, finishedAt, attempts, account, images, error, attemptLog, callback,
                leaseUntil, Optional.empty(), Optional.empty());
    }

    /** A job no attempt holds. */
    public Job(JobId id, String owner, JobStatus status, GenerationRequest request, Instant createdAt, Optional<Instant> startedAt,
            Optional<Instant> finishedAt, int attempts, Optional<String> account, List<StoredImage> images, Optional<JobError> error,
            List<Attempt> attemptLog, Optional<Callback> callback) {
        this(id, owner, status, request, createdAt, startedAt, finishedAt, attempts, account, images, error, attemptLog, callback,
                Optional.empty());
    }

    /** A job without a callback that no attempt holds. */
    public Job(JobId id, String owner, JobStatus status, GenerationRequest request, Instant createdAt, Optional<Instant> startedAt,
            Optional<Instant> finishedAt, int attempts, Optional<String> account, List<StoredImage> images, Optional<JobError> error,
            List<Attempt> attemptLog) {
        this(id, owner, status, request, createdAt, startedAt, finishedAt, attempts, account, images, error, attemptLog,
                Optional.empty());
    }

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(quotaWaits, "quotaWaits");
        Objects.requireNonNull(cancelRequestedAt, "cancelRequestedAt");
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(batchId, "batchId");
        images = List.copyOf(images);
        attemptLog = List.copyOf(attemptLog);
    }

    /**
     * Whether the attempt holding this job has run out of time at {@code now}, so another may take it over. Leases
     * count in whole milliseconds, as the job store keeps them: a lease is over from the millisecond after its end.
     */
    public boolean leaseExpiredAt(Instant now) {
        return leaseUntil.filter(until -> until.toEpochMilli() < now.toEpochMilli()).isPresent();
    }

    /** How many earlier calls for this job may have been generated and billed without an answer. */
    public long ambiguousCalls() {
        return attemptLog.stream().filter(a -> a.outcome() == Attempt.Outcome.AMBIGUOUS).count();
    }

    /**
     * A SUCCEEDED job with fewer images than asked: how many are missing and why (the provider refused them, or
     * they still failed when the attempts ran out). Empty for every other job.
     */
    public Optional<Shortfall> shortfall() {
        if (status != JobStatus.SUCCEEDED || images.size() >= request.count()) {
            return Optional.empty();
        }
        JobError why = error.orElse(new JobError("unknown", "no reason was recorded"));
        return Optional.of(new Shortfall(request.count() - images.size(), why.type(), why.message()));
    }

    /**
     * This job with {@code calls} appended to its log; the account is the last call's (what the job ran on last).
     * The job store writes the calls of an attempt together with the status the attempt ends in.
     */
    public Job withCalls(List<Attempt> calls) {
        if (calls.isEmpty()) {
            return this;
        }
        List<Attempt> log = new ArrayList<>(attemptLog);
        log.addAll(calls);
        return new Job(id, owner, status, request, createdAt, startedAt, finishedAt, attempts,
                Optional.of(calls.get(calls.size() - 1).account()), images, error, log, callback, leaseUntil, deadline, quotaWaits,
                cancelRequestedAt, lane, batchId);
    }

    /**
     * Until when this job may wait for quota: its deadline if it has one, else {@code maxQuotaWait} after it was
     * accepted. A job that would wait past it ends FAILED instead.
     */
    public Instant waitsAtMostUntil(Duration maxQuotaWait) {
        return deadline.orElseGet(() -> createdAt.plus(maxQuotaWait));
    }

    /**
     * Finished with a callback nobody has tried to deliver yet: the notice that would start its delivery may have
     * been lost (the process died, or the queue refused it, right after the job was marked finished).
     */
    public boolean awaitsCallbackNotice() {
        return status.isTerminal() && callback.filter(c -> c.attempts() == 0 && !c.isSettled()).isPresent();
    }

    /**
     * Queued and never claimed by a worker: the message that would start it may never have been sent (the intake
     * stopped, or the queue refused it, between recording the job and queueing it). A job given back after an attempt
     * is QUEUED too, but has a message behind it: its worker sent one.
     */
    public boolean neverClaimed() {
        return status == JobStatus.QUEUED && attempts == 0;
    }

    /** A job just accepted: queued, never attempted. */
    public static Job queued(JobId id, String owner, GenerationRequest request, Instant now) {
        return new Job(id, owner, JobStatus.QUEUED, request, now, Optional.empty(), Optional.empty(), 0,
                Optional.empty(), List.of(), Optional.empty(), List.of());
    }

    /** The same job, announced to {@code url} when it finishes. */
    public Job withCallback(URI url) {
        return new Job(id, owner, status, request, createdAt, startedAt, finishedAt, attempts, account, images, error, attemptLog,
                Optional.of(Callback.pending(url)), leaseUntil, deadline, quotaWaits, cancelRequestedAt, lane, batchId);
    }

    /** The same job, which waits for quota at most until {@code deadline}. */
    public Job withDeadline(Instant deadline) {
        return new Job(id, owner, status, request, createdAt, startedAt, finishedAt, attempts, account, images, error, attemptLog,
                callback, leaseUntil, Optional.of(deadline), quotaWaits, cancelRequestedAt, lane, batchId);
    }

    /** The same job on the lane {@code choice} names. */
    public Job withLane(LaneChoice choice) {
        return new Job(id, owner, status, request, createdAt, startedAt, finishedAt, attempts, account, images, error, attemptLog,
                callback, leaseUntil, deadline, quotaWaits, cancelRequestedAt, choice, batchId);
    }

    /** Queued on the batch lane: it waits in the job store for the collector, not on the queue. */
    public boolean waitsForBatch() {
        return status == JobStatus.QUEUED && lane.lane() == Lane.BATCH;
    }

    /** In the provider batch pacer recorded as {@code batchId}. */
    public boolean inBatch(String batchId) {
        return status == JobStatus.BATCHED && this.batchId.filter(batchId::equals).isPresent();
    }
}
