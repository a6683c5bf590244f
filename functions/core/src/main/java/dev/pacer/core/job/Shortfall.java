package dev.pacer.core.job;

import java.util.Objects;

/** The images a SUCCEEDED job lacks: how many, and why, as the provider or the last attempt said. */
public record Shortfall(int missing, String type, String message) {

    public Shortfall {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        if (missing < 1) {
            throw new IllegalArgumentException("a shortfall misses at least one image");
        }
    }
}
