package dev.pacer.core.port;

import dev.pacer.core.job.GenerationRequest;

/**
 * A model that turns a prompt into images. Calls block for seconds to minutes. Implementations
 * never throw for provider answers or transport failures: every ending maps to a {@link ProviderOutcome}.
 */
public interface ImageProvider {

    /** Makes {@code request.count()} images with the account's base URL and key. */
    ProviderOutcome generate(GenerationRequest request, ProviderAccount account);
}
