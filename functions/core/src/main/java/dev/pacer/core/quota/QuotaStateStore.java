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
     * Stores {@code next} if the stored version is still {@code expectedVersion} (0: nothing stored), with version
     * {@code expectedVersion + 1}, or for a new record one taken from the time ({@link #newRecordVersion}): a record
     * recreated after it expired must never repeat a version a worker may still remember from before, or that worker's
     * write would pass. A {@link Replacement.Conflict} when someone else wrote first:
     * decide again on what is stored now (which the conflict carries when the store could tell).
     * The record may be forgotten after {@code expiresAt}.
     */
    Replacement replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt);

    /**
     * What {@link #replace} stores: {@code next} with the next version (a new record starts at one taken from the time,
     * an existing one counts up).
     */
    static WindowState stored(long expectedVersion, WindowState next) {
        long version = expectedVersion == 0 ? newRecordVersion(System.currentTimeMillis()) : expectedVersion + 1;
        return next.withVersion(version);
    }

    /**
     * The first version of a record made at {@code epochMillis}: a thousand per millisecond, so a record recreated later
     * starts above every version its predecessor counted up to (it would need a thousand writes in each millisecond it
     * lived to reach it); records this process makes within one millisecond differ in the last three digits. Time and a
     * count, not randomness: a SnapStart snapshot would hand every restored instance the same seed.
     */
    static long newRecordVersion(long epochMillis) {
        return Math.multiplyExact(epochMillis, 1_000L) + NewRecords.COUNT.incrementAndGet() % 1_000;
    }

    /** Holds the count of {@link #newRecordVersion}: an interface's fields are constants. */
    final class NewRecords {
        private static final java.util.concurrent.atomic.AtomicLong COUNT = new java.util.concurrent.atomic.AtomicLong();

        private NewRecords() {
        }
    }
}
