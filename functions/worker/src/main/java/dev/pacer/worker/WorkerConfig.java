package dev.pacer.worker;

import dev.pacer.core.usecase.PriceTable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The worker's settings; SAM sets them as environment variables (PACER_JOBS_TABLE, ...). */
@ConfigMapping(prefix = "pacer")
public interface WorkerConfig {

    String jobsTable();

    /** The queue this worker consumes: retryable failures shorten its messages' visibility for a backoff. */
    String jobsQueueUrl();

    String imagesBucket();

    @WithDefault("30")
    int jobRetentionDays();

    /** Attempts a job gets for retryable provider failures before it ends FAILED. */
    @WithDefault("3")
    int maxAttempts();

    /**
     * How long an attempt holds its job. Longer than the worker's Lambda timeout (720 s), so only a
     * dead attempt's job is ever taken over.
     */
    @WithDefault("PT13M")
    Duration attemptLease();

    /**
     * How many times a call that timed out after it was sent (the provider may have generated and
     * billed it) is tried again before the job fails.
     */
    @WithDefault("1")
    int ambiguousRetries();

    /** Estimated USD per image as {@code model@resolution=price,...}; the seed's figures by default. */
    @WithDefault(PriceTable.SEED)
    String prices();

    /** First wait before a retryable failure is retried; doubles with each receive, capped at 15 minutes. */
    @WithDefault("PT10S")
    Duration retryBackoff();

    Simulated simulated();

    interface Simulated {
        /** Multiplies the seed's latency per resolution: 1 is realistic, 0 answers at once. */
        @WithDefault("1.0")
        double latencyFactor();

        /** Caps the simulated picture's long side in pixels (the latency stays that of the resolution). */
        @WithDefault("4096")
        int maxLongSide();
    }
}
