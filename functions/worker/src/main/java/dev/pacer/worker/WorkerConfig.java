package dev.pacer.worker;

import dev.pacer.core.usecase.PriceTable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.net.URI;
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
     * Pay at start-up what the first event would: the AWS SDK calls it makes, run once against an in-process answer
     * (no AWS call), and the real clients built. Lambda runs init on a full vCPU and SnapStart keeps it in its snapshot.
     */
    @WithDefault("true")
    boolean primeOnStart();

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

    /** The {@code Service} dimension of every metric (the stack's name when deployed), so two stacks never mix. */
    @WithDefault("pacer")
    String metricsService();

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

    /**
     * Which provider serves the calls: {@code auto} (default) uses a real provider wherever its key is
     * configured and the simulated one elsewhere, so without keys nothing real is called;
     * {@code simulated} never calls out; {@code real} refuses models whose provider has no key.
     */
    @WithDefault("auto")
    ProviderMode provider();

    enum ProviderMode { AUTO, SIMULATED, REAL }

    Simulated simulated();

    /** PACER_GEMINI_API_KEY, PACER_GEMINI_BASE_URL, PACER_GEMINI_ACCOUNT. */
    Gemini gemini();

    /** PACER_OPENAI_API_KEY, PACER_OPENAI_BASE_URL, PACER_OPENAI_ACCOUNT, PACER_OPENAI_QUALITY, PACER_OPENAI_OUTPUT_FORMAT. */
    OpenAi openai();

    /** PACER_BEDROCK_REGION (enables it), PACER_BEDROCK_BASE_URL, PACER_BEDROCK_ACCOUNT, PACER_BEDROCK_QUALITY. */
    Bedrock bedrock();

    /** PACER_TIMEOUTS_CONNECT, PACER_TIMEOUTS_UP_TO_2K, PACER_TIMEOUTS_FOUR_K. */
    Timeouts timeouts();

    /** PACER_CALLBACKS_QUEUE_URL, PACER_CALLBACKS_MAX_ATTEMPTS, PACER_CALLBACKS_SIGNING_KEY, ... */
    Callbacks callbacks();

    /** Completion callbacks: the queue of finished jobs to announce, and how they are POSTed. */
    interface Callbacks {
        /** Where a finished job with a callback URL is noticed, and where a failed POST is re-sent delayed. */
        String queueUrl();

        /** POSTs in all before delivery is given up. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait before the first retry; doubles with each failure, capped at 15 minutes. */
        @WithDefault("PT30S")
        Duration firstBackoff();

        /** Short: a receiver that cannot take a connection at once is tried again later. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /** From sending the request to the response's headers. */
        @WithDefault("PT10S")
        Duration readTimeout();

        /** How long the image URLs in a callback body stay valid (GET signs fresh ones at any time). */
        @WithDefault("PT1H")
        Duration imageUrlValidity();

        /** The HMAC key itself (local runs and tests). Wins over {@link #signingSecretId()}. */
        Optional<String> signingKey();

        /** Deployed: the Secrets Manager secret holding the HMAC key. */
        Optional<String> signingSecretId();
    }

    interface Gemini {
        Optional<String> apiKey();

        @WithDefault("https://generativelanguage.googleapis.com")
        URI baseUrl();

        /** The name calls are recorded under: the Google Cloud project the key belongs to. */
        @WithDefault("gemini")
        String account();
    }

    interface OpenAi {
        Optional<String> apiKey();

        @WithDefault("https://api.openai.com")
        URI baseUrl();

        @WithDefault("openai")
        String account();

        /** low, medium, high or auto. */
        @WithDefault("auto")
        String quality();

        /** png, jpeg or webp: also the stored images' extension and Content-Type. */
        @WithDefault("png")
        String outputFormat();
    }

    interface Bedrock {
        /** The region to call Bedrock in; unset leaves Bedrock off. Credentials: the function's role. */
        Optional<String> region();

        /** Defaults to https://bedrock-runtime.{region}.amazonaws.com. */
        Optional<URI> baseUrl();

        @WithDefault("bedrock")
        String account();

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

    interface Simulated {
        /** Multiplies the seed's latency per resolution: 1 is realistic, 0 answers at once. */
        @WithDefault("1.0")
        double latencyFactor();

        /** Caps the simulated picture's long side in pixels (the latency stays that of the resolution). */
        @WithDefault("4096")
        int maxLongSide();
    }
}
