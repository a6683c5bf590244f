package dev.pacer.core.batch;

import java.util.Objects;

/**
 * A batch as the provider knows it: its name ({@code batches/…} on Gemini, {@code batch_…} on OpenAI), the display
 * name pacer gave it, its state and its line counts as the provider last reported them.
 */
public record ProviderBatch(String name, String displayName, BatchState state, int total, int succeeded, int failed) {
    public ProviderBatch {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(state, "state");
    }
}
