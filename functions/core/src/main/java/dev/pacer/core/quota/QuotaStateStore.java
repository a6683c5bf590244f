package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the ledger keeps one {@link WindowState} per account and model: a compare-and-set register, so that
 * many workers on many machines serialise on it without locks.
 */
public interface QuotaStateStore {

    /** The stored state, read consistently; empty when none was ever stored (or it expired). */
    Optional<WindowState> load(String account, String model);

    /**
     * Stores {@code next} if the stored version is still {@code expectedVersion} (0: nothing stored), with version
     * {@code expectedVersion + 1}, or for a new record a random positive one: a record recreated after it expired
     * must never repeat a version a worker may still remember from before, or that worker's write would pass. A {@link Replacement.Conflict} when someone else wrote first:
     * decide again on what is stored now (which the conflict carries when the store could tell).
     * The record may be forgotten after {@code expiresAt}.
     */
    Replacement replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt);

    /**
     * What {@link #replace} stores: {@code next} with the next version (a new record starts at a random one, an existing
     * one counts up).
     */
    static WindowState stored(long expectedVersion, WindowState next) {
        long version = expectedVersion == 0 ? ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2) : expectedVersion + 1;
        return new WindowState(version, next.grants(), next.day(), next.dayRequests(), next.cooldown());
    }
}
