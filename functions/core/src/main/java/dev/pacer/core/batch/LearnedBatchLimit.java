package dev.pacer.core.batch;

import java.time.Instant;
import java.util.Objects;

/**
 * An enqueued-token limit pacer learned on one account and model when the provider refused a batch for its batch quota:
 * the batch lane keeps below {@code enqueuedTokens} there until the refusal is {@code at} a turnaround target old (by
 * then every batch enqueued with it has finished, and the provider's own count has moved on). {@code reason} is what
 * the provider said, for GET /v1/quota.
 */
public record LearnedBatchLimit(long enqueuedTokens, Instant at, String reason) {
    public LearnedBatchLimit {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
        if (enqueuedTokens < 1) {
            throw new IllegalArgumentException("a learned enqueued-token limit is at least 1");
        }
    }

    /**
     * What a refusal teaches: the provider took what was enqueued before this batch and refused this one, so the limit
     * is at most what was enqueued before ({@code before}) plus this batch. When nothing was enqueued before, this batch
     * alone was too much: half of it is tried next.
     */
    public static long afterRefusal(long before, long refusedBatch) {
        return before > 0 ? before : Math.max(1, refusedBatch / 2);
    }
}
