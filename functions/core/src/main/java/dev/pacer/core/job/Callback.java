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

    /** What {@link #lastError()} says of an attempt that was recorded before it was sent and never recorded after. */
    public static final String NO_ANSWER_RECORDED = "sent, no answer recorded: the attempt did not finish";

    /** One more POST, answered with {@code status} (2xx delivers it) or failed with {@code error}. */
    public Callback afterAttempt(Optional<Integer> status, Optional<String> error, Instant at) {
        return sending(at).answered(status, error, at);
    }

    /**
     * One more POST, counted before it is sent: if the function dies or times out during it, the attempt still counts
     * toward the limit, and says it never finished.
     */
    public Callback sending(Instant at) {
        return new Callback(url, attempts + 1, Optional.empty(), Optional.of(NO_ANSWER_RECORDED), Optional.of(at), Optional.empty(),
                Optional.empty());
    }

    /** How the POST counted by {@link #sending} went: answered with {@code status} (2xx delivers it) or failed with {@code error}. */
    public Callback answered(Optional<Integer> status, Optional<String> error, Instant at) {
        boolean delivered = status.filter(code -> code >= 200 && code < 300).isPresent();
        return new Callback(url, attempts, status, error, Optional.of(at), delivered ? Optional.of(at) : Optional.empty(),
                Optional.empty());
    }

    /** No more attempts will be made. */
    public Callback givenUp(Instant at) {
        return new Callback(url, attempts, lastStatus, lastError, lastAttemptAt, Optional.empty(), Optional.of(at));
    }
}
