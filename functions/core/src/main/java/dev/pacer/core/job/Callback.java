package dev.pacer.core.job;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a finished job is announced ({@code url}) and how that went so far: how many POSTs were made, the last
 * answer (an HTTP status) or error, and whether it was delivered or given up on. At most one of those two is set.
 */
public record Callback(
        URI url,
        int attempts,
        Optional<Integer> lastStatus,
        Optional<String> lastError,
        Optional<Instant> lastAttemptAt,
        Optional<Instant> deliveredAt,
        Optional<Instant> gaveUpAt) {

    public Callback {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(lastStatus, "lastStatus");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        Objects.requireNonNull(gaveUpAt, "gaveUpAt");
    }

    /** A callback no one has tried to deliver yet. */
    public static Callback pending(URI url) {
        return new Callback(url, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Delivered or given up on: nothing more will be sent. */
    public boolean isSettled() {
        return deliveredAt.isPresent() || gaveUpAt.isPresent();
    }

    /** One more POST, answered with {@code status} (2xx delivers it) or failed with {@code error}. */
    public Callback afterAttempt(Optional<Integer> status, Optional<String> error, Instant at) {
        boolean delivered = status.filter(code -> code >= 200 && code < 300).isPresent();
        return new Callback(url, attempts + 1, status, error, Optional.of(at), delivered ? Optional.of(at) : Optional.empty(),
                Optional.empty());
    }

    /** No more attempts will be made. */
    public Callback givenUp(Instant at) {
        return new Callback(url, attempts, lastStatus, lastError, lastAttemptAt, Optional.empty(), Optional.of(at));
    }
}
