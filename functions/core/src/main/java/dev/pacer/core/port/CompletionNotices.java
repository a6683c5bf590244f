package dev.pacer.core.port;

import dev.pacer.core.job.JobId;

import java.time.Duration;

/** Announces that a job with a callback URL finished, so its callback is delivered apart from the work itself. */
public interface CompletionNotices {

    /** The job reached SUCCEEDED or FAILED: deliver its callback now. */
    void jobFinished(JobId id);

    /** The last delivery failed: try again after {@code delay} (at most 15 minutes). */
    void retryAfter(JobId id, Duration delay);
}
