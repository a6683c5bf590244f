package dev.pacer.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Completion callbacks (PACER_CALLBACKS_MAX_ATTEMPTS, PACER_CALLBACKS_SIGNING_KEY, ...): how the deliver-callbacks
 * handler POSTs them. The queue of finished jobs to announce is every function's setting ({@code SharedConfig}).
 */
@ConfigMapping(prefix = "pacer.callbacks")
public interface CallbacksConfig {

    /** POSTs in all before delivery is given up. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait before the first retry; doubles with each failure, capped at 15 minutes. */
    @WithDefault("PT30S")
    Duration firstBackoff();

    /** Short: a receiver that cannot take a connection at once is tried again later. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /**
     * From sending the request to the response's headers. The whole POST, its answer's body included, must end
     * within {@link #connectTimeout()} plus this, or it is cut off and counts as a failed attempt.
     */
    @WithDefault("PT10S")
    Duration readTimeout();

    /**
     * Callbacks may go to loopback addresses, over plain http too: the local run and tests, whose receivers listen there
     * without a certificate. Deployed, every address a callback host resolves to must be public.
     */
    @WithDefault("false")
    boolean allowHttpToLoopback();

    /** How long the image URLs in a callback body stay valid (GET signs fresh ones at any time). */
    @WithDefault("PT1H")
    Duration imageUrlValidity();

    /** The HMAC key itself (local runs and tests). Wins over {@link #signingSecretId()}. */
    Optional<String> signingKey();

    /** Deployed: the Secrets Manager secret holding the HMAC key. */
    Optional<String> signingSecretId();

}
