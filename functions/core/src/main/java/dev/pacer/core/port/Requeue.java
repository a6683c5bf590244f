package dev.pacer.core.port;

/** What a write that would give a job another try came to ({@link JobStore#release}, {@link JobStore#waitForQuota}). */
public enum Requeue {

    /** The job is back in line: QUEUED, or WAITING_FOR_QUOTA. */
    REQUEUED,

    /**
     * Its owner asked to cancel it while it ran, so it is not tried again: nothing was written, and the attempt ends it
     * instead ({@link JobStore#cancelInsteadOfRetry}).
     */
    CANCEL_REQUESTED
}
