package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the ledger keeps one {@link WindowState} per account and model: a compare-and-set register, so that
 * many workers on many machines serialise on it without locks.
 */
public interface QuotaStateStore {

    /** The stored state, read consistently; empty when none was ever stored (or it expired). */
    Optional<WindowState> load(String account, String model);

    /**
     * Stores {@code next} with version {@code expectedVersion + 1} if the stored version is still
     * {@code expectedVersion} (0: nothing stored). A {@link Replacement.Conflict} when someone else wrote first:
     * decide again on what is stored now (which the conflict carries when the store could tell).
     * The record may be forgotten after {@code expiresAt}.
     */
    Replacement replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt);
}
