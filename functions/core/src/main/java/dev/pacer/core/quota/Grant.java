package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Objects;

/**
 * One reservation as the ledger remembers it: when it was granted (the window math counts from here) and until
 * when it counts as in flight (for maxConcurrent; set to the grant time once released).
 */
public record Grant(String id, Instant at, Demand demand, Instant holdUntil) {

    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(holdUntil, "holdUntil");
    }

    public boolean inFlightAt(Instant now) {
        return holdUntil.isAfter(now);
    }
}
