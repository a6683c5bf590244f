package dev.pacer.core.job;

import java.util.Map;
import java.util.Objects;

/** What a caller asked for, after defaults were applied and the catalog accepted it. */
public record GenerationRequest(
        String prompt,
        String model,
        Resolution resolution,
        String aspectRatio,
        int count,
        Map<String, String> metadata) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(aspectRatio, "aspectRatio");
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        metadata = Map.copyOf(metadata);
    }

    /** The same request for fewer images: the ones an earlier attempt did not bring back. */
    public GenerationRequest withCount(int images) {
        return new GenerationRequest(prompt, model, resolution, aspectRatio, images, metadata);
    }
}
