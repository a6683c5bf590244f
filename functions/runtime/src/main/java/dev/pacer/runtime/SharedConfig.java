package dev.pacer.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings every function reads, mapped once: where jobs, quota and images live, how long jobs are kept, and where
 * the account pool and the model catalog come from. SAM sets them as environment variables for all functions
 * ({@code Globals} in template.yaml: PACER_JOBS_TABLE, ...). A function's own settings are in a small mapping of its own.
 */
@ConfigMapping(prefix = "pacer")
public interface SharedConfig {

    /** DynamoDB table of job records (and of idempotency keys). */
    String jobsTable();

    /** The SQS queue the worker consumes: the intake sends accepted jobs to it, the worker re-sends waiting ones. */
    String jobsQueueUrl();

    /** S3 bucket of the images: the worker writes them, everyone signs GET URLs for them. */
    String imagesBucket();

    /** PACER_CALLBACKS_QUEUE_URL. */
    Callbacks callbacks();

    interface Callbacks {
        /**
         * The SQS queue of finished jobs whose callback is due: the worker notices the jobs it ends there, the intake
         * those it cancels.
         */
        String queueUrl();
    }

    /** The DynamoDB table of the batch lane's records (PACER_BATCHES_TABLE). */
    @WithDefault("pacer-batches")
    String batchesTable();

    /** PACER_BATCH_*: the batch lane. */
    Batch batch();

    /** How the batch lane picks, collects and settles ({@code docs/batch.md}). */
    interface Batch {
        /** PACER_BATCH_TARGET: the provider's promised turnaround; {@code auto} needs it and the margin before the deadline. */
        @WithDefault("PT24H")
        Duration target();

        /** PACER_BATCH_MARGIN: time kept besides the target, for the collector and the poller. */
        @WithDefault("PT2H")
        Duration margin();

        /** PACER_BATCH_MIN_LINES: a batch closes once this many jobs of a model wait... */
        @WithDefault("100")
        int minLines();

        /** PACER_BATCH_MAX_AGE: ...or once the oldest has waited this long. */
        @WithDefault("PT10M")
        Duration maxAge();

        /** PACER_BATCH_MAX_LINES: the most jobs in one batch (at most 5,000). */
        @WithDefault("1000")
        int maxLines();

        /** PACER_BATCH_MAX_OPEN_PER_ACCOUNT: batches open at once per account (Gemini allows 100 per project). */
        @WithDefault("100")
        int maxOpenPerAccount();

        /** PACER_BATCH_STALE_INTENT: an intent this old belongs to a collector run that died; keep it above the collector's timeout. */
        @WithDefault("PT15M")
        Duration staleIntent();

        /** PACER_BATCH_MAX_ATTEMPTS: batches a job may go into before it ends FAILED. */
        @WithDefault("3")
        int maxAttempts();
    }

    /** The DynamoDB table of the quota ledger (and of jobs parked until a provider day turns). */
    String quotaTable();

    /** How long a job record is kept before DynamoDB's TTL removes it. */
    @WithDefault("30")
    int jobRetentionDays();

    /** The {@code Service} dimension of every metric (the stack's name when deployed), so two stacks never mix. */
    @WithDefault("pacer")
    String metricsService();

    /**
     * Added to every rolling window: the time between a grant and the provider receiving the request, plus
     * clock differences, so that the provider never sees in its 60 s what pacer counted in two windows.
     */
    @WithDefault("PT1S")
    Duration quotaWindowGuard();

    /**
     * Pay at start-up what the first event would: the AWS SDK calls it makes, run once through pacer's adapters against
     * an in-process answer (no AWS call), and the real clients built. Lambda runs init on a full vCPU and SnapStart keeps
     * it in its snapshot.
     */
    @WithDefault("true")
    boolean primeOnStart();

    /** Local runs: a JSON file with the account pool (docs/quota.md). Wins over {@link #accountsParameter()}. */
    Optional<String> accountsFile();

    /**
     * Deployed: the SSM parameter holding the account pool JSON. With neither, the pool is made from the provider keys
     * in the environment ({@link #provider()}, {@link #gemini()}, {@link #openai()}, {@link #bedrock()}).
     */
    Optional<String> accountsParameter();

    /**
     * Local runs: a JSON file overriding or extending the bundled model catalog (docs/models.md). Wins over
     * {@link #catalogParameter()}.
     */
    Optional<String> catalogFile();

    /** Deployed: the SSM parameter holding the catalog override JSON. With neither, the bundled catalog alone. */
    Optional<String> catalogParameter();

    /**
     * Which provider serves the calls when no pool is named: {@code auto} (default) uses a real provider wherever its
     * key is configured and the simulated one elsewhere, so without keys nothing real is called; {@code simulated}
     * never calls out; {@code real} refuses models whose provider has no key.
     */
    @WithDefault("auto")
    ProviderMode provider();

    enum ProviderMode { AUTO, SIMULATED, REAL }

    /** PACER_GEMINI_API_KEY, PACER_GEMINI_BASE_URL, PACER_GEMINI_ACCOUNT. */
    Gemini gemini();

    /** PACER_OPENAI_API_KEY, PACER_OPENAI_BASE_URL, PACER_OPENAI_ACCOUNT. */
    OpenAi openai();

    /** PACER_BEDROCK_REGION (enables it), PACER_BEDROCK_BASE_URL, PACER_BEDROCK_ACCOUNT. */
    Bedrock bedrock();

    interface Gemini {
        Optional<String> apiKey();

        @WithDefault("https://generativelanguage.googleapis.com")
        URI baseUrl();

        /** The name calls are recorded under (GET /v1/quota, the attempt log): the Google Cloud project the key belongs to. */
        @WithDefault("gemini")
        String account();
    }

    interface OpenAi {
        Optional<String> apiKey();

        @WithDefault("https://api.openai.com")
        URI baseUrl();

        @WithDefault("openai")
        String account();
    }

    interface Bedrock {
        /** The region to call Bedrock in; unset leaves Bedrock off. Credentials: the function's role. */
        Optional<String> region();

        /** Defaults to https://bedrock-runtime.{region}.amazonaws.com. */
        Optional<URI> baseUrl();

        @WithDefault("bedrock")
        String account();
    }
}
