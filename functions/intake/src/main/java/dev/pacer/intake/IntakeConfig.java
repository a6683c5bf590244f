package dev.pacer.intake;

import dev.pacer.core.usecase.PriceTable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The intake's settings; SAM sets them as environment variables (PACER_JOBS_TABLE, ...). */
@ConfigMapping(prefix = "pacer")
public interface IntakeConfig {

    /** DynamoDB table of job records. */
    String jobsTable();

    /** SQS queue the worker consumes. */
    String jobsQueueUrl();

    /** S3 bucket the worker writes images to; the intake only signs GET URLs for it. */
    String imagesBucket();

    /** The quota ledger's table, read for GET /v1/quota. */
    String quotaTable();

    /** The {@code Service} dimension of every metric (the stack's name when deployed), so two stacks never mix. */
    @WithDefault("pacer")
    String metricsService();

    /** Local runs: a JSON file with the account pool (docs/quota.md). Wins over {@link #accountsParameter()}. */
    Optional<String> accountsFile();

    /** Deployed: the SSM parameter holding the account pool JSON. With neither, one simulated account. */
    Optional<String> accountsParameter();

    /** The same guard the worker adds to its rolling windows (only reported here). */
    @WithDefault("PT1S")
    Duration quotaWindowGuard();

    /** How long a job record is kept before DynamoDB's TTL removes it. */
    @WithDefault("30")
    int jobRetentionDays();

    /** How long a presigned image URL in a status answer stays valid. */
    @WithDefault("PT15M")
    Duration imageUrlValidity();

    @WithDefault("8000")
    int maxPromptLength();

    @WithDefault("4")
    int maxImagesPerJob();

    /** Largest POST body accepted; a full-length prompt with metadata fits many times over. */
    @WithDefault("65536")
    int maxBodyBytes();

    /**
     * Pay at start-up what the first event would: the AWS SDK calls it makes, run once against an in-process answer
     * (no AWS call), and the real clients built. Lambda runs init on a full vCPU and SnapStart keeps it in its snapshot.
     */
    @WithDefault("true")
    boolean primeOnStart();

    /** Estimated list prices per image, {@code model@resolution=usd,...}: the worker's PACER_PRICES, for GET /v1/capacity. */
    @WithDefault(PriceTable.SEED)
    String prices();

    Capacity capacity();

    Auth auth();

    /** What GET /v1/capacity needs to know of the deployment to price AWS's share of an image. */
    interface Capacity {
        /** The worker function's MemorySize in template.yaml (its Lambda seconds are most of AWS's share). */
        @WithDefault("1024")
        int workerMemoryMb();

        /** The intake function's MemorySize in template.yaml. */
        @WithDefault("1024")
        int intakeMemoryMb();

        /** The template's ImageRetentionDays: how long each image is stored. */
        @WithDefault("30")
        int imageRetentionDays();
    }

    Callbacks callbacks();

    interface Callbacks {
        /**
         * Accept plain-http callback URLs to loopback hosts (the local run and tests, whose receivers have no
         * certificate). Deployed, callbacks are https only.
         */
        @WithDefault("false")
        boolean allowHttpToLoopback();
    }

    interface Auth {
        /**
         * A header that names the caller when API Gateway's authorizer did not (set by the local run
         * and tests only; a deployed API always authorizes first, so leave it unset there).
         */
        Optional<String> localCallerHeader();
    }
}
