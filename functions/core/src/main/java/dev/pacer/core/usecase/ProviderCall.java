package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.CallReport;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.Reservation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One provider call on reserved quota: the quota is given back however the call ends, and the call is logged and counted. */
final class ProviderCall {

    private static final System.Logger LOG = System.getLogger(ProviderCall.class.getName());

    /** What the call came to, and the entry the attempt log keeps of it. */
    record Called(ProviderOutcome outcome, Attempt attempt) {
        Called {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(attempt, "attempt");
        }
    }

    private final ImageProvider provider;
    private final QuotaLedger ledger;
    private final AttemptLog log;
    private final JobMetrics metrics;
    private final Clock clock;

    ProviderCall(ImageProvider provider, QuotaLedger ledger, AttemptLog log, JobMetrics metrics, Clock clock) {
        this.provider = provider;
        this.ledger = ledger;
        this.log = log;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Asks the reservation's account for {@code request}; anything the provider throws is a passing failure. */
    Called call(Job job, GenerationRequest request, Reservation reservation) {
        Instant started = clock.instant();
        if (job.attemptLog().isEmpty()) {
            metrics.firstCallStarting(job, Duration.between(job.createdAt(), started));
        }
        ProviderOutcome outcome = new ProviderOutcome.RetryLater("provider_error", "the call did not return");
        try {
            outcome = provider.generate(request, reservation.account());
        } catch (RuntimeException unexpected) {
            // Its text (a key lookup's AccessDenied names the role and the account) goes to the log, not to the job.
            LOG.log(System.Logger.Level.WARNING, "job " + job.id() + ": the call on " + reservation.account().id() + " threw", unexpected);
            outcome = new ProviderOutcome.RetryLater("provider_error",
                    "the call failed inside pacer (" + unexpected.getClass().getSimpleName() + "); it is tried again");
        } finally {
            // the tokens it really spent and the limits the provider stated go back to the ledger with the quota
            release(reservation, outcome.quotaReport());
        }
        Attempt attempt = log.called(job, request, reservation.account(), started, Duration.between(started, clock.instant()), outcome);
        metrics.called(job, attempt);
        return new Called(outcome, attempt);
    }

    /** A release that fails must not replace what the call brought, which is paid for: the hold lapses on its own. */
    private void release(Reservation reservation, CallReport report) {
        try {
            ledger.release(reservation, report);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not release the reservation on " + reservation.account().id()
                    + "; it lapses on its own", e);
        }
    }
}
