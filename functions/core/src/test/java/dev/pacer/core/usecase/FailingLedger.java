package dev.pacer.core.usecase;

import dev.pacer.core.quota.AccountUsage;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A ledger for the use cases' tests whose writes fail on demand, as DynamoDB's do when it throttles or a race is
 * lost too often: each switch makes one of the ledger's writes throw; the rest goes to a working ledger.
 */
final class FailingLedger implements QuotaLedger {

    private final QuotaLedger working;
    volatile boolean failReservations;
    volatile boolean failReleases;
    volatile boolean failCoolDowns;
    private int releases;

    FailingLedger(QuotaLedger working) {
        this.working = working;
    }

    /** How many releases were asked for, failed ones included. */
    synchronized int releases() {
        return releases;
    }

    @Override
    public ReservationOutcome reserve(String model, Demand demand, Duration hold) {
        if (failReservations) {
            throw new IllegalStateException("ProvisionedThroughputExceededException: arn:aws:dynamodb:us-east-1:123456789012:table/quota");
        }
        return working.reserve(model, demand, hold);
    }

    @Override
    public void release(Reservation reservation, dev.pacer.core.quota.CallReport report) {
        synchronized (this) {
            releases++;
        }
        if (failReleases) {
            throw new IllegalStateException("the release lost its race too often");
        }
        working.release(reservation, report);
    }

    @Override
    public Instant coolDown(Reservation reservation, RateLimit rateLimit) {
        if (failCoolDowns) {
            throw new IllegalStateException("ThrottlingException: rate of requests exceeds the allowed throughput");
        }
        return working.coolDown(reservation, rateLimit);
    }

    @Override
    public List<AccountUsage> usage() {
        return working.usage();
    }
}
