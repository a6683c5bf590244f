package dev.pacer.core.batch;

/** Where a provider batch is, in words both providers' states map to. */
public enum BatchState {
    /** Accepted, validating or queued (Gemini PENDING, OpenAI validating). */
    PENDING,
    /** Being worked on (Gemini RUNNING, OpenAI in_progress, finalizing, cancelling). */
    RUNNING,
    /** Finished; every line has an answer or its own error. */
    SUCCEEDED,
    /** The whole batch failed (a bad input file); no line has an answer. */
    FAILED,
    /** Cancelled; lines finished before the cancel have answers. */
    CANCELLED,
    /**
     * Refused for the provider's batch quota (enqueued tokens per model, concurrent batches): OpenAI accepts the create
     * and fails the batch with {@code token_limit_exceeded}. No line ran and nothing is billed; the jobs wait again.
     */
    OVER_QUOTA,
    /** Not finished in time (48 h Gemini, 24 h OpenAI); OpenAI returns the finished lines, Gemini none. */
    EXPIRED;

    /** The provider will not change it again. */
    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }

    /** Lines may have come back and are worth reading. */
    public boolean hasResults() {
        return this == SUCCEEDED || this == CANCELLED || this == EXPIRED;
    }
}
