package dev.pacer.core.job;

import java.util.Objects;

/** Why a job failed (or why its last attempt did): a stable machine-readable type and a human message. */
public record JobError(String type, String message) {

    public JobError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
