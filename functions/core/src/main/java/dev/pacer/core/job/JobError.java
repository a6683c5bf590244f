package dev.pacer.core.job;

import java.util.Objects;

/**
 * Why a job failed (or why its last attempt did, or, on a job that SUCCEEDED with fewer images than asked,
 * why the rest are missing): a stable machine-readable type and a human message.
 */
public record JobError(String type, String message) {

    public JobError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
