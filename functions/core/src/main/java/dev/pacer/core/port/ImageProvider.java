package dev.pacer.core.port;

import dev.pacer.core.job.GenerationRequest;

/**
 * A model that turns a prompt into images. Calls block for seconds to minutes. Implementations
 * never throw for provider answers: every answer maps to a {@link ProviderOutcome}.
 */
public interface ImageProvider {

    ProviderOutcome generate(GenerationRequest request);
}
