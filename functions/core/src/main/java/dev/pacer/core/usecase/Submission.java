package dev.pacer.core.usecase;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A submission as received: only the prompt is required, the rest falls back to defaults; inputs and mask make it an edit. */
public record Submission(
        String prompt,
        Optional<String> model,
        Optional<String> resolution,
        Optional<String> aspectRatio,
        Optional<Integer> count,
        Map<String, String> metadata,
        Optional<String> callbackUrl,
        Optional<String> deadline,
        Optional<String> lane,
        List<InputRef> inputs,
        Optional<InputRef> mask) {

    /** A submission without reference images that names no lane: the sync lane. */
    public Submission(String prompt, Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio,
            Optional<Integer> count, Map<String, String> metadata, Optional<String> callbackUrl, Optional<String> deadline) {
        this(prompt, model, resolution, aspectRatio, count, metadata, callbackUrl, deadline, Optional.empty(), List.of(), Optional.empty());
    }

    /** A submission without reference images. */
    public Submission(String prompt, Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio,
            Optional<Integer> count, Map<String, String> metadata, Optional<String> callbackUrl, Optional<String> deadline,
            Optional<String> lane) {
        this(prompt, model, resolution, aspectRatio, count, metadata, callbackUrl, deadline, lane, List.of(), Optional.empty());
    }

    /** A submission with reference images that names no lane. */
    public Submission(String prompt, Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio,
            Optional<Integer> count, Map<String, String> metadata, Optional<String> callbackUrl, Optional<String> deadline,
            List<InputRef> inputs, Optional<InputRef> mask) {
        this(prompt, model, resolution, aspectRatio, count, metadata, callbackUrl, deadline, Optional.empty(), inputs, mask);
    }

    /** A submission without a deadline. */
    public Submission(String prompt, Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio,
            Optional<Integer> count, Map<String, String> metadata, Optional<String> callbackUrl) {
        this(prompt, model, resolution, aspectRatio, count, metadata, callbackUrl, Optional.empty());
    }

    /** A submission without a callback URL. */
    public Submission(String prompt, Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio,
            Optional<Integer> count, Map<String, String> metadata) {
        this(prompt, model, resolution, aspectRatio, count, metadata, Optional.empty());
    }

    public Submission {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(aspectRatio, "aspectRatio");
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(callbackUrl, "callbackUrl");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(lane, "lane");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        Objects.requireNonNull(mask, "mask");
    }

    public static Submission ofPrompt(String prompt) {
        return new Submission(prompt, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }
}
