package dev.pacer.core.job;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asked for, after defaults were applied and the catalog accepted it: a prompt, and for an edit the
 * reference images (and a mask) intake checked, as S3 keys.
 */
public record GenerationRequest(
        String prompt,
        String model,
        Resolution resolution,
        String aspectRatio,
        int count,
        Map<String, String> metadata,
        List<InputImage> inputs,
        Optional<InputImage> mask) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(aspectRatio, "aspectRatio");
        Objects.requireNonNull(mask, "mask");
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        metadata = Map.copyOf(metadata);
        inputs = List.copyOf(inputs);
        if (mask.isPresent() && inputs.isEmpty()) {
            throw new IllegalArgumentException("a mask applies to the first input image; there is none");
        }
    }

    /** A text-to-image request: no inputs. */
    public GenerationRequest(String prompt, String model, Resolution resolution, String aspectRatio, int count,
            Map<String, String> metadata) {
        this(prompt, model, resolution, aspectRatio, count, metadata, List.of(), Optional.empty());
    }

    /** The same request for fewer images: the ones an earlier attempt did not bring back. */
    public GenerationRequest withCount(int images) {
        return new GenerationRequest(prompt, model, resolution, aspectRatio, images, metadata, inputs, mask);
    }

    /** The same request with these reference images. */
    public GenerationRequest withInputs(List<InputImage> images, Optional<InputImage> withMask) {
        return new GenerationRequest(prompt, model, resolution, aspectRatio, count, metadata, images, withMask);
    }

    /** Whether it edits or composes reference images rather than drawing from text alone. */
    public boolean isEdit() {
        return !inputs.isEmpty();
    }
}
