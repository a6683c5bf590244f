package dev.pacer.core.quota;

import java.time.Duration;
import java.util.List;

/**
 * Provider quota across a pool of accounts, shared by every worker: reserve before each provider call, so that no
 * account ever gets more than its limits in any rolling minute or provider day.
 */
public interface QuotaLedger {

    /**
     * Reserves {@code demand} atomically on every dimension of one account serving {@code model}, spreading load
     * across accounts. {@code hold} is how long the call may count as in flight (for maxConcurrent) if it is
     * never released.
     */
    ReservationOutcome reserve(String model, Demand demand, Duration hold);

    /**
     * The call is over: it no longer counts as in flight. What it spent stays in the windows, corrected to the tokens
     * the provider says it used; the limits the provider stated with its answer are kept.
     */
    void release(Reservation reservation, CallReport report);

    /** The call is over, and told nothing about tokens or limits. */
    default void release(Reservation reservation) {
        release(reservation, CallReport.NONE);
    }

    /**
     * The provider answered 429 anyway (the quota is shared with something else, enforced over shorter windows, or
     * lower than declared): nothing is granted on this account and model until the provider's delay has passed, or,
     * for a per-day quota, until its next day; and the ledger learns from it ({@link QuotaLearning#after429}).
     *
     * @return when the account opens again
     */
    java.time.Instant coolDown(Reservation reservation, RateLimit rateLimit);

    /** Each account and model with its limits (declared, stated, learned, applied), use in the current windows and cooldown. */
    List<AccountUsage> usage();
}
