package dev.pacer.runtime;

import dev.pacer.aws.priming.SdkPriming;

import java.util.List;

/**
 * What a function primes at start-up ({@link PrimeOnStart}): the adapter calls its first event makes, run over the
 * canned AWS services, and its own warm-up (building its real clients, its JSON mappers). Each function has one.
 */
public interface StartupPriming {

    /** False where this package's handler is not on a latency path and would only pay for calls it never makes. */
    default boolean applies() {
        return true;
    }

    List<SdkPriming.Call> calls();

    void warmUp() throws Exception;
}
