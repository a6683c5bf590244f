package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Objects;

/** An account told us to stop (a 429 pacer did not see coming): nothing is granted on it before {@code until}. */
public record Cooldown(Instant until, String reason) {

    public Cooldown {
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
    }
}
