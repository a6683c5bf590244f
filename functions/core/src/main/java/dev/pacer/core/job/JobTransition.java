package dev.pacer.core.job;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static dev.pacer.core.job.JobStatus.BATCHED;
import static dev.pacer.core.job.JobStatus.CANCELLED;
import static dev.pacer.core.job.JobStatus.FAILED;
import static dev.pacer.core.job.JobStatus.QUEUED;
import static dev.pacer.core.job.JobStatus.RUNNING;
import static dev.pacer.core.job.JobStatus.SUCCEEDED;
import static dev.pacer.core.job.JobStatus.WAITING_FOR_QUOTA;

/**
 * The moves a job makes, each with the statuses it may start from. This is the one statement of the job's
 * lifecycle: the DynamoDB store turns it into the conditions of its writes, the in-memory store checks it as it is.
 * A move a job may not take is refused and changes nothing, which is how two deliveries of one job never both win.
 * <p>
 * A RUNNING job cannot be cancelled, since its provider call cannot be taken back; its owner's request to cancel is
 * noted on it ({@link Job#cancelRequestedAt}) instead. From then on the moves that would give it another try are
 * refused, and its attempt ends it CANCELLED where it would have tried again.
 */
public enum JobTransition {

    /** An attempt takes a job nobody holds. */
    CLAIM(EnumSet.of(QUEUED, WAITING_FOR_QUOTA), RUNNING, false, CancelRequest.IGNORED),

    /**
     * An attempt takes a RUNNING job whose attempt died: its lease ran out without the attempt ending it. (A job whose
     * owner asked to cancel it is taken over too, to be ended.)
     */
    TAKE_OVER(EnumSet.of(RUNNING), RUNNING, true, CancelRequest.IGNORED),

    /** The attempt stored its images. */
    SUCCEED(EnumSet.of(RUNNING), SUCCEEDED, false, CancelRequest.IGNORED),

    /** Any unfinished job may fail, also one no attempt holds (the dead-letter handler fails those). */
    FAIL(EnumSet.of(QUEUED, WAITING_FOR_QUOTA, RUNNING), FAILED, false, CancelRequest.IGNORED),

    /** The attempt failed in a way worth retrying: the job goes back to the queue, unless its owner asked to cancel it. */
    RELEASE(EnumSet.of(RUNNING), QUEUED, false, CancelRequest.REFUSED),

    /** No account had room for the attempt: the job waits, and the attempt is given back; not once its owner asked to cancel it. */
    WAIT_FOR_QUOTA(EnumSet.of(RUNNING), WAITING_FOR_QUOTA, false, CancelRequest.REFUSED),

    /** Its owner cancels a job no attempt holds: it will never run. */
    CANCEL(EnumSet.of(QUEUED, WAITING_FOR_QUOTA), CANCELLED, false, CancelRequest.IGNORED),

    /** Its owner asks to cancel a RUNNING job: the call under way goes on, but the job is not tried again. The status stays. */
    REQUEST_CANCEL(EnumSet.of(RUNNING), null, false, CancelRequest.IGNORED),

    /** The attempt of a job whose owner asked to cancel it ends it where it would have tried again (released or waited). */
    CANCEL_INSTEAD_OF_RETRY(EnumSet.of(RUNNING), CANCELLED, false, CancelRequest.REQUIRED),

    /**
     * The batch collector puts a job waiting on the batch lane into the batch it recorded, before it opens the provider
     * batch. Only a QUEUED job may be taken, so no job is ever in two batches.
     */
    BATCH(EnumSet.of(QUEUED), BATCHED, false, CancelRequest.IGNORED),

    /** A batch's line came back with images: the job ends with them. The store also checks it is that batch's job. */
    SUCCEED_BATCHED(EnumSet.of(BATCHED), SUCCEEDED, false, CancelRequest.IGNORED),

    /** A batch's line came back with its own error, or its batch was refused: the job ends with the error. */
    FAIL_BATCHED(EnumSet.of(BATCHED), FAILED, false, CancelRequest.IGNORED),

    /**
     * A batch ended without the job's line (expired, cancelled, failed, or a line worth retrying): the job goes back to
     * waiting, for another batch or for the sync lane.
     */
    UNBATCH(EnumSet.of(BATCHED), QUEUED, false, CancelRequest.IGNORED),

    /**
     * A job waiting on the batch lane whose deadline no longer leaves time for a batch goes to the sync lane, still
     * QUEUED, to be put on the jobs queue. Only a job QUEUED on the batch lane moves: one a collector took into a batch
     * (BATCHED) or that was cancelled stays where it is, so the move never races a batch for it.
     */
    MOVE_TO_SYNC_LANE(EnumSet.of(QUEUED), Lane.BATCH, QUEUED),

    /** How the callback's delivery went is noted on a job in any status; the status stays. */
    RECORD_CALLBACK(EnumSet.allOf(JobStatus.class), null, false, CancelRequest.IGNORED);

    /** Whether a move looks at a request to cancel the job, noted while it ran. */
    public enum CancelRequest {
        /** The move does not look at it. */
        IGNORED,
        /** Only a job whose owner asked to cancel it takes the move. */
        REQUIRED,
        /** A job whose owner asked to cancel it never takes the move: it is not to be tried again. */
        REFUSED;

        boolean admits(boolean requested) {
            return this == IGNORED || (this == REQUIRED) == requested;
        }
    }

    private final Set<JobStatus> from;
    private final JobStatus to;
    private final boolean requiresExpiredLease;
    private final CancelRequest cancelRequest;
    private final Lane lane;

    JobTransition(Set<JobStatus> from, JobStatus to, boolean requiresExpiredLease, CancelRequest cancelRequest) {
        this(from, to, requiresExpiredLease, cancelRequest, null);
    }

    /** A move only a job on {@code lane} may take. */
    JobTransition(Set<JobStatus> from, Lane lane, JobStatus to) {
        this(from, to, false, CancelRequest.IGNORED, lane);
    }

    JobTransition(Set<JobStatus> from, JobStatus to, boolean requiresExpiredLease, CancelRequest cancelRequest, Lane lane) {
        this.from = Collections.unmodifiableSet(from);
        this.to = to;
        this.requiresExpiredLease = requiresExpiredLease;
        this.cancelRequest = cancelRequest;
        this.lane = lane;
    }

    /** The statuses a job may take this move from. */
    public Set<JobStatus> from() {
        return from;
    }

    /** The status the job has afterwards; empty when the move leaves it as it was. */
    public Optional<JobStatus> to() {
        return Optional.ofNullable(to);
    }

    /** Whether the job's lease must have run out ({@link Job#leaseExpiredAt}), besides its status being one of {@link #from()}. */
    public boolean requiresExpiredLease() {
        return requiresExpiredLease;
    }

    /** Whether a request to cancel the job, noted while it ran ({@link Job#cancelRequestedAt}), matters to this move. */
    public CancelRequest cancelRequest() {
        return cancelRequest;
    }

    /** The lane the job must be on, besides its status being one of {@link #from()}; empty when any lane will do. */
    public Optional<Lane> requiredLane() {
        return Optional.ofNullable(lane);
    }

    /** Whether {@code job} may take this move at {@code now}. */
    public boolean allows(Job job, Instant now) {
        return from.contains(job.status()) && (!requiresExpiredLease || job.leaseExpiredAt(now))
                && cancelRequest.admits(job.cancelRequestedAt().isPresent())
                && (lane == null || job.lane().lane() == lane);
    }
}
