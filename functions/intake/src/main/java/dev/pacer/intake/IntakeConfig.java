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
