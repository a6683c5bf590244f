package dev.pacer.intake;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The intake's own settings (PACER_MAX_PROMPT_LENGTH, ...); those every function reads are {@code SharedConfig}'s.
 */
@ConfigMapping(prefix = "pacer")
public interface IntakeConfig {

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

    Capacity capacity();

    /** PACER_UPLOADS_MAX_BYTES, PACER_UPLOADS_FORM_VALIDITY, PACER_UPLOADS_RETENTION_DAYS: POST /v1/uploads. */
    Uploads uploads();

    interface Uploads {
        /** The largest upload: OpenAI's limit (under 50 MB), the largest any model in the catalog takes. */
        @WithDefault("52428799")
        long maxBytes();

        /** How long an upload form may be used. */
        @WithDefault("PT15M")
        Duration formValidity();

        /** How long an upload may be named as an input: the template's UploadRetentionDays, the bucket's lifecycle rule. */
        @WithDefault("7")
        int retentionDays();

        /**
         * Where forms are POSTed, when not to the bucket itself: the local run sets its stand-in for S3's POST Object
         * (moto cannot serve one with IAM enforced). Leave it unset when deployed.
         */
        Optional<java.net.URI> formUrl();
    }

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

    /** PACER_CALLERS_MAX_UNFINISHED_JOBS, PACER_CALLERS_COUNT_EVERY, PACER_CALLERS_RETRY_AFTER: one caller cannot drain the pool. */
    Callers callers();

    interface Callers {
        /** Jobs not yet finished one caller may have; a submission beyond them is a 429. 0 turns the cap off. */
        @WithDefault("1000")
        int maxUnfinishedJobs();

        /**
         * While a caller is further below the cap than this, an intake instance counts its unfinished jobs once every
         * this many of its submissions (a DynamoDB Query), not for each; near the cap, for each.
         */
        @WithDefault("20")
        int countEvery();

        /** The Retry-After of the 429. */
        @WithDefault("PT30S")
        Duration retryAfter();
    }

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
