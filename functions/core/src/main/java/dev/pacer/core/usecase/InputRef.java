package dev.pacer.core.usecase;

import java.util.Objects;
import java.util.Optional;

/**
 * A reference image as a submission names it: {@code {"upload": id}} or {@code {"job": id, "index": n}}. Which of them
 * is set, and whether the rest fits, {@link SubmissionInputs} checks.
 */
public record InputRef(Optional<String> upload, Optional<String> job, Optional<Integer> index) {

    public InputRef {
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(index, "index");
    }

    public static InputRef ofUpload(String id) {
        return new InputRef(Optional.of(id), Optional.empty(), Optional.empty());
    }

    public static InputRef ofJob(String id, int index) {
        return new InputRef(Optional.empty(), Optional.of(id), Optional.of(index));
    }
}
