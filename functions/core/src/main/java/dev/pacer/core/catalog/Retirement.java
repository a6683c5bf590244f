package dev.pacer.core.catalog;

import java.time.LocalDate;
import java.util.Objects;

/** A model id the provider shut down: submissions naming it are refused, naming the model to use instead. */
public record Retirement(String id, String successor, LocalDate retiredOn) {

    public Retirement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(successor, "successor");
        Objects.requireNonNull(retiredOn, "retiredOn");
    }
}
