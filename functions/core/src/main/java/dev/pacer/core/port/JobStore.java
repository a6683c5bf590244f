package dev.pacer.core.port;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobTransition;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.job.StoredImage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where job records live. Every write is a {@link JobTransition}, taken only from the statuses it starts from
 * (and for a takeover only once the lease ran out). A refused write changes nothing: {@link #claim}, {@link #cancel}
 * and {@link #requestCancel} answer empty, {@link #release}, {@link #giveBack} and {@link #waitForQuota} say when a
 * cancellation was asked for, the others throw. So concurrent deliveries cannot both win. {@code JobStoreContract}, in core's test-jar, checks
 * this for every store.
 */
public interface JobStore {

    /** Stores a new job; fails if the id exists. */
    void create(Job job);

    /**
     * Stores a new job and its owner's idempotency key in one atomic write, unless the key is taken:
     * then nothing is written and the answer says which job the key names, and whether for the same request.
     */
    IdempotentCreation createIdempotently(Job job, IdempotencyKey key, String requestFingerprint, Instant keyExpiresAt);

    Optional<Job> find(JobId id);

    /**
     * How many of {@code owner}'s jobs have not finished (QUEUED, WAITING_FOR_QUOTA or RUNNING), counting no further
     * than {@code atMost}. A job counts from the write that creates it until the one that ends it, and nothing else
     * keeps the count, so it cannot drift; the DynamoDB store reads it from an index, which may lag those writes by a
     * moment.
     */
    long unfinished(String owner, long atMost);

    /**
     * Takes the job for one attempt ({@link JobTransition#CLAIM} or {@link JobTransition#TAKE_OVER}): QUEUED or
     * WAITING_FOR_QUOTA (or RUNNING with an expired lease, i.e. a crashed attempt) becomes RUNNING with
     * {@code attempts + 1} and a lease until {@code leaseUntil}.
     * Empty when someone else holds it or it is finished: the caller must then do nothing.
     */
    Optional<Job> claim(JobId id, Instant now, Instant leaseUntil);

    /*
     * Each transition that ends an attempt carries the provider calls it made (and any earlier attempts found lost)
     * as {@code calls}: they are appended to the job's log, and the job's account becomes the last call's, in the
     * same conditional write as the status. An attempt that dies before its transition leaves no entry: the next
     * claim sees a claimed attempt ({@code attempts}) without one and logs it as lost.
     */

    /**
     * RUNNING → SUCCEEDED with the stored images; {@code shortfall} says why there are fewer than asked
     * (kept as the job's error), if there are.
     */
    void markSucceeded(JobId id, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls, Instant now);

    /** Any non-terminal status → FAILED with the reason. */
    void markFailed(JobId id, JobError error, List<Attempt> calls, Instant now);

    /** {@link #markFailed(JobId, JobError, List, Instant)} for a job no provider call was made for here. */
    default void markFailed(JobId id, JobError error, Instant now) {
        markFailed(id, error, List.of(), now);
    }

    /**
     * RUNNING → QUEUED after a retryable failure, keeping the error of the attempt; {@link Requeue#CANCEL_REQUESTED},
     * writing nothing, when its owner asked to cancel it meanwhile.
     */
    Requeue release(JobId id, JobError lastError, List<Attempt> calls, Instant now);

    /**
     * RUNNING → QUEUED after the attempt failed before it called the provider, keeping its error. The attempt is given
     * back ({@code attempts - 1}), as a wait gives it back: nothing was sent, so the next claim must not take it for a
     * call that was lost with its worker and may have been billed. {@link Requeue#CANCEL_REQUESTED}, writing nothing,
     * when its owner asked to cancel it meanwhile.
     */
    Requeue giveBack(JobId id, JobError lastError, List<Attempt> calls, Instant now);

    /**
     * RUNNING → WAITING_FOR_QUOTA until {@code until}: no account had room (or the provider said 429). The attempt
     * is given back ({@code attempts - 1}): waiting for quota is not a failure and never uses up retries.
     * {@link Requeue#CANCEL_REQUESTED}, writing nothing, when its owner asked to cancel it meanwhile.
     */
    Requeue waitForQuota(JobId id, Instant until, List<Attempt> calls, Instant now);

    /**
     * QUEUED or WAITING_FOR_QUOTA → CANCELLED ({@link dev.pacer.core.job.JobTransition#CANCEL}), finished at {@code now}:
     * the job as it is now. Empty when it may not be cancelled (it runs, or it has finished): nothing is written.
     */
    Optional<Job> cancel(JobId id, Instant now);

    /**
     * A RUNNING job's owner asks to cancel it ({@link dev.pacer.core.job.JobTransition#REQUEST_CANCEL}): noted at
     * {@code now} (the first request's time is kept), the status stays, and the job is not tried again. The job as it
     * is now; empty when it is not RUNNING.
     */
    Optional<Job> requestCancel(JobId id, Instant now);

    /**
     * RUNNING with its cancellation requested → CANCELLED ({@link dev.pacer.core.job.JobTransition#CANCEL_INSTEAD_OF_RETRY}):
     * the attempt ends the job where it would have released it or let it wait.
     */
    void cancelInsteadOfRetry(JobId id, List<Attempt> calls, Instant now);

    /** Records how the job's callback delivery went so far (the job must have a callback). */
    void recordCallback(JobId id, Callback callback);

    /*
     * The batch lane. A job asked for on it waits QUEUED in the store (never on the queue) until the collector puts it
     * in a batch record; each of these writes checks the job is in the batch it names, so a late or repeated write of
     * an older batch never moves a job that has gone on to another one.
     */

    /**
     * Up to {@code limit} jobs of {@code model} waiting on the batch lane (QUEUED, lane batch), oldest first. The
     * DynamoDB store reads them from an index that may lag a moment: the caller takes each with {@link #batch}.
     */
    List<Job> waitingForBatch(String model, int limit);

    /**
     * QUEUED → BATCHED in the batch record {@code batchId} ({@link JobTransition#BATCH}), {@code attempts + 1}: the
     * job as it is now; empty when it is no longer QUEUED (taken by another batch, cancelled), and nothing is written.
     */
    Optional<Job> batch(JobId id, String batchId, Instant now);

    /**
     * BATCHED in {@code batchId} → SUCCEEDED with the images its line brought ({@link JobTransition#SUCCEED_BATCHED});
     * false, writing nothing, when the job is not (or no longer) in that batch.
     */
    boolean succeedBatched(JobId id, String batchId, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls,
            Instant now);

    /** BATCHED in {@code batchId} → FAILED with its line's error ({@link JobTransition#FAIL_BATCHED}); false when it is not in it. */
    boolean failBatched(JobId id, String batchId, JobError error, List<Attempt> calls, Instant now);

    /**
     * BATCHED in {@code batchId} → QUEUED on {@code lane} ({@link JobTransition#UNBATCH}), keeping {@code why} as its
     * error and appending {@code calls} (the batch's entry: each batch is an attempt, and an attempt without an entry
     * would read as a lost call): on the batch lane it waits for the next batch, on the sync lane the caller puts it on
     * the queue. False, writing nothing, when it is not in that batch.
     */
    boolean unbatch(JobId id, String batchId, LaneChoice lane, JobError why, List<Attempt> calls, Instant now);

    /*
     * A job waiting on the batch lane whose deadline no longer leaves time for a batch goes to the sync lane. The move
     * and the queue message are two writes, so the store keeps the moved job listed ({@link #movedToSyncLane}) until the
     * caller says its message was sent ({@link #sentToSyncQueue}): a collector that died between the two finds it there
     * on its next run and sends it then.
     */

    /**
     * QUEUED on the batch lane → QUEUED on the sync lane ({@link JobTransition#MOVE_TO_SYNC_LANE}) with {@code reason}
     * as its lane's reason; it waits for a batch no more, and is listed by {@link #movedToSyncLane} until
     * {@link #sentToSyncQueue}. False, writing nothing, when the job is not QUEUED on the batch lane (a collector took it
     * into a batch, it was cancelled, it is on the sync lane already). Its error, attempts and log stay as they are.
     */
    boolean moveToSyncLane(JobId id, String reason, Instant now);

    /**
     * Up to {@code limit} jobs of {@code model} moved to the sync lane whose queue message was not yet said to be sent,
     * oldest first, whatever their status now (a worker may have claimed one already). The DynamoDB store reads them from
     * an index that may lag a moment.
     */
    List<Job> movedToSyncLane(String model, int limit);

    /** The queue message of a job moved to the sync lane was sent: it is listed by {@link #movedToSyncLane} no more. */
    void sentToSyncQueue(JobId id);
}
