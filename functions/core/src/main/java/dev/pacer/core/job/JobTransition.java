package dev.pacer.core.job;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static dev.pacer.core.job.JobStatus.FAILED;
import static dev.pacer.core.job.JobStatus.QUEUED;
import static dev.pacer.core.job.JobStatus.RUNNING;
import static dev.pacer.core.job.JobStatus.SUCCEEDED;
import static dev.pacer.core.job.JobStatus.WAITING_FOR_QUOTA;

/**
 * The moves a job makes, each with the statuses it may start from. This is the one statement of the job's
 * lifecycle: the DynamoDB store turns it into the conditions of its writes, the in-memory store checks it as it is.
 * A move a job may not take is refused and changes nothing, which is how two deliveries of one job never both win.
 */
public enum JobTransition {

    /** An attempt takes a job nobody holds. */
    CLAIM(EnumSet.of(QUEUED, WAITING_FOR_QUOTA), RUNNING, false),

    /** An attempt takes a RUNNING job whose attempt died: its lease ran out without the attempt ending it. */
    TAKE_OVER(EnumSet.of(RUNNING), RUNNING, true),

    /** The attempt stored its images. */
    SUCCEED(EnumSet.of(RUNNING), SUCCEEDED, false),

    /** Any unfinished job may fail, also one no attempt holds (the dead-letter handler fails those). */
    FAIL(EnumSet.of(QUEUED, WAITING_FOR_QUOTA, RUNNING), FAILED, false),

    /** The attempt failed in a way worth retrying: the job goes back to the queue. */
    RELEASE(EnumSet.of(RUNNING), QUEUED, false),

    /** No account had room for the attempt: the job waits, and the attempt is given back. */
    WAIT_FOR_QUOTA(EnumSet.of(RUNNING), WAITING_FOR_QUOTA, false),

    /** How the callback's delivery went is noted on a job in any status; the status stays. */
    RECORD_CALLBACK(EnumSet.allOf(JobStatus.class), null, false);

    private final Set<JobStatus> from;
    private final JobStatus to;
    private final boolean requiresExpiredLease;

    JobTransition(Set<JobStatus> from, JobStatus to, boolean requiresExpiredLease) {
        this.from = Collections.unmodifiableSet(from);
        this.to = to;
        this.requiresExpiredLease = requiresExpiredLease;
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

    /** Whether {@code job} may take this move at {@code now}. */
    public boolean allows(Job job, Instant now) {
        return from.contains(job.status()) && (!requiresExpiredLease || job.leaseExpiredAt(now));
    }
}
