package dev.pacer.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/**
 * How the generate-images handler runs a job: attempts, lease and backoff, how long it may wait for quota, parking, and
 * the providers' timeouts and options (PACER_MAX_ATTEMPTS, PACER_MAX_QUOTA_WAIT, PACER_TIMEOUTS_FOUR_K, ...). Where jobs, quota and the pool live is {@code SharedConfig}'s.
 */
@ConfigMapping(prefix = "pacer")
public interface GenerationConfig {

    /**
     * Park jobs that must wait longer than SQS can delay a message (an exhausted RPD) until the scheduled release
     * (handler release-parked-jobs) puts them back. Only where that release runs: without it, such jobs come back
     * every 15 minutes (the longest SQS delay) and wait again.
     */
    @WithDefault("false")
    boolean parkLongWaits();

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

    /**
     * How long after it was accepted a job may still be waiting for quota (a job with a deadline waits until its
     * deadline instead). One that would wait longer ends FAILED quota_wait_exceeded: a project without quota for a model
     * answers 429 for ever. Keep it below PACER_JOB_RETENTION_DAYS, or the job's record expires while it waits.
     */
    @WithDefault("P7D")
    Duration maxQuotaWait();

    /** First wait before a retryable failure is retried; doubles with each receive, capped at 15 minutes. */
    @WithDefault("PT10S")
    Duration retryBackoff();

    /** PACER_IMAGES_IN_FLIGHT_BUDGET_MB, PACER_IMAGES_IN_FLIGHT_HEAP_FRACTION, PACER_IMAGES_IN_FLIGHT_MAX_WAIT. */
    ImagesInFlight imagesInFlight();

    Simulated simulated();

    /** PACER_OPENAI_QUALITY, PACER_OPENAI_OUTPUT_FORMAT (its key, URL and account are {@code SharedConfig}'s). */
    OpenAi openai();

    /** PACER_BEDROCK_QUALITY (its region, URL and account are {@code SharedConfig}'s). */
    Bedrock bedrock();

    /** PACER_TIMEOUTS_CONNECT, PACER_TIMEOUTS_UP_TO_2K, PACER_TIMEOUTS_FOUR_K. */
    Timeouts timeouts();

    interface OpenAi {
        /** low, medium, high or auto. */
        @WithDefault("auto")
        String quality();

        /** png, jpeg or webp: also the stored images' extension and Content-Type. */
        @WithDefault("png")
        String outputFormat();
    }

    interface Bedrock {
        /** standard or premium. */
        @WithDefault("standard")
        String quality();
    }

    /** The worker's Lambda timeout (template.yaml) must exceed the longest of these. */
    interface Timeouts {
        /** Short: nothing is sent until connected, so giving up early costs nothing. */
        @WithDefault("PT10S")
        Duration connect();

        /** 0.5K, 1K and 2K calls. */
        @WithName("up-to-2k")
        @WithDefault("PT300S")
        Duration upTo2k();

        @WithDefault("PT600S")
        Duration fourK();
    }

    /**
     * How much of the instance's heap the images of its calls in flight may take. A job waits for room after it is
     * claimed and before it reserves quota; one that finds none within {@link #maxWait()} goes back to the queue
     * (WAITING_FOR_QUOTA, its attempt given back), where another instance takes it.
     */
    interface ImagesInFlight {
        /** The budget in MiB; unset, {@link #heapFraction()} of the JVM's maximum heap. */
        Optional<Integer> budgetMb();

        /**
         * At MemorySize 1024 the JVM's maximum heap is 841 MiB (870 MB less a survivor space) and the budget 504 MiB:
         * two jobs of four 4K images at once.
         */
        @WithDefault("0.6")
        double heapFraction();

        /** The wait plus the longest provider timeout must stay under the worker's Lambda timeout (720 s). */
        @WithDefault("PT30S")
        Duration maxWait();
    }

    interface Simulated {
        /** Multiplies the seed's latency per resolution: 1 is realistic, 0 answers at once. */
        @WithDefault("1.0")
        double latencyFactor();

        /** Caps the simulated picture's long side in pixels (the latency stays that of the resolution). */
        @WithDefault("4096")
        int maxLongSide();
    }
}
