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
     * {@code expectedVersion} (0: nothing stored). False when someone else wrote first: reload and decide again.
     * The record may be forgotten after {@code expiresAt}.
     */
    boolean replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt);
}
