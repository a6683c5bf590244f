package dev.pacer.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The worker's settings; SAM sets them as environment variables (PACER_JOBS_TABLE, ...). */
@ConfigMapping(prefix = "pacer")
public interface WorkerConfig {

    String jobsTable();

    /** The queue this worker consumes: retryable failures shorten its messages' visibility for a backoff. */
    String jobsQueueUrl();

    String imagesBucket();

    /** The DynamoDB table of the quota ledger (and of jobs parked until a provider day turns). */
    String quotaTable();

    /** Local runs: a JSON file with the account pool (docs/quota.md). Wins over {@link #accountsParameter()}. */
    Optional<String> accountsFile();

    /** Deployed: the SSM parameter holding the account pool JSON. With neither, one simulated account. */
    Optional<String> accountsParameter();

    /**
     * Added to every rolling window: the time between a grant and the provider receiving the request, plus
     * clock differences, so that the provider never sees in its 60 s what pacer counted in two windows.
     */
    @WithDefault("PT1S")
    Duration quotaWindowGuard();

    /**
     * Park jobs that must wait longer than SQS can delay a message (an exhausted RPD) until the scheduled release
     * (handler release-parked-jobs) puts them back. Only where that release runs: without it, such jobs come back
     * every 15 minutes (the longest SQS delay) and wait again.
     */
    @WithDefault("false")
    boolean parkLongWaits();

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
