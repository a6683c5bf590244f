package dev.pacer.providers;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ProviderOutcome;

/**
 * One provider's API. Calls block for seconds to minutes, and never throw for provider answers or transport
 * failures: every ending maps to a {@link ProviderOutcome}, through {@link Classification} for the failures.
 */
public interface ProviderAdapter {

    /** Makes {@code request.count()} images with the account's base URL and key. */
    ProviderOutcome generate(GenerationRequest request, ProviderAccount account);
}
