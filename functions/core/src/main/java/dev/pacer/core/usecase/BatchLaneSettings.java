package dev.pacer.core.usecase;

import java.time.Duration;

/**
 * How the batch lane collects and settles batches.
 *
 * @param minLines           a batch closes once this many jobs of a model wait
 * @param maxAge             or once the oldest of them has waited this long
 * @param maxLines           a batch holds at most this many jobs (its record lists them, and a DynamoDB item holds 400 KB)
 * @param maxOpenPerAccount  batches open at once per account (Gemini: 100 per project)
 * @param staleIntent        an intent older than this is the collector's that crashed (longer than a collector run)
 * @param maxBatchAttempts   batches a job may go into before a line that keeps failing, or a batch that keeps ending
 *                           without it, ends it FAILED
 * @param lanes              the lane rule: whether a deadline still allows another batch
 */
public record BatchLaneSettings(int minLines, Duration maxAge, int maxLines, int maxOpenPerAccount, Duration staleIntent,
        int maxBatchAttempts, LanePolicy lanes) {

    /** The most jobs one batch record may list: 5,000 ids of 36 characters stay well inside a DynamoDB item. */
    public static final int MAX_LINES_LIMIT = 5_000;

    public BatchLaneSettings {
        if (minLines < 1 || maxLines < minLines || maxLines > MAX_LINES_LIMIT) {
            throw new IllegalArgumentException("need 1 <= minLines <= maxLines <= " + MAX_LINES_LIMIT + ", not " + minLines + " and " + maxLines);
        }
        if (maxOpenPerAccount < 1 || maxBatchAttempts < 1) {
            throw new IllegalArgumentException("maxOpenPerAccount and maxBatchAttempts must be positive");
        }
    }

    public static BatchLaneSettings standard() {
        return new BatchLaneSettings(100, Duration.ofMinutes(10), 1_000, 100, Duration.ofMinutes(15), 3, LanePolicy.standard());
    }
}
