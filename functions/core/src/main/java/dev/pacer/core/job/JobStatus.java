package dev.pacer.core.job;

public enum JobStatus {
    QUEUED,
    WAITING_FOR_QUOTA,
    RUNNING,
    /** On the batch lane, in a provider batch (its {@code batchId}): it waits for the batch's results. */
    BATCHED,
    SUCCEEDED,
    FAILED,
    /** Its owner cancelled it before it ran, or while it ran, instead of a retry. */
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
