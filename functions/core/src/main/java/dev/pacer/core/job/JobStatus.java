package dev.pacer.core.job;

public enum JobStatus {
    QUEUED,
    WAITING_FOR_QUOTA,
    RUNNING,
    SUCCEEDED,
    FAILED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
