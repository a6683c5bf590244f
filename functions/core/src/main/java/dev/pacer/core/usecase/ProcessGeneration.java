package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.ProviderGateway;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one delivery of a job: claim it, reserve quota on an account, call the provider on that account, store
 * the images, record the outcome. With no quota to be had the job waits (WAITING_FOR_QUOTA) instead of failing.
 */
public final class ProcessGeneration {

    private final JobStore jobs;
    private final QuotaLedger ledger;
    private final ModelCatalog catalog;
    private final ProviderGateway provider;
    private final ImageStore images;
    private final RetryPolicy retryPolicy;
    private final PriceTable prices;
    private final CompletionNotices notices;
    private final Clock clock;

    public ProcessGeneration(JobStore jobs, QuotaLedger ledger, ModelCatalog catalog, ProviderGateway provider, ImageStore images,
            RetryPolicy retryPolicy, PriceTable prices, CompletionNotices notices, Clock clock) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.catalog = catalog;
        this.provider = provider;
        this.images = images;
        this.retryPolicy = retryPolicy;
        this.prices = prices;
        this.notices = notices;
        this.clock = clock;
    }

    public ProcessingResult process(JobId id) {
        Instant now = clock.instant();
        Optional<Job> claimed = jobs.claim(id, now, now.plus(retryPolicy.lease()));
        if (claimed.isEmpty()) {
            // A duplicate delivery, a finished job, or a job another attempt is running: never call twice.
            Optional<Job> found = jobs.find(id);
            found.filter(Job::awaitsCallbackNotice).ifPresent(job -> notices.jobFinished(id));
            return new ProcessingResult.Skipped(found.map(job -> "job is " + job.status()).orElse("no such job"));
        }
        Optional<List<StoredImage>> alreadyStored = imagesOfAnInterruptedSuccess(claimed.get());
        if (alreadyStored.isPresent()) {
            // An earlier attempt got its images and stored them, then died before marking the job: finish it, no new call.
            jobs.markSucceeded(id, alreadyStored.get(), clock.instant());
            return finished(claimed.get(), JobStatus.SUCCEEDED);
        }
        Job job = recordLostAttempt(claimed.get());
        if (job.ambiguousCalls() > retryPolicy.ambiguousRetries()) {
            return fail(job, new JobError("worker_lost", "not retried: a worker was lost during an earlier call, which the "
                    + "provider may have generated and billed (" + job.ambiguousCalls() + " such calls, policy allows "
                    + retryPolicy.ambiguousRetries() + " retries)"));
        }
        Optional<ModelSpec> model = catalog.find(job.request().model());
        if (model.isEmpty()) {
            return fail(job, new JobError("unknown_model", "no provider serves " + job.request().model()));
        }
        ReservationOutcome reserved = ledger.reserve(job.request().model(), Demand.of(job.request(), model.get().provider()),
                retryPolicy.lease());
        if (reserved instanceof ReservationOutcome.Unservable unservable) {
            return fail(job, new JobError("quota_unservable", unservable.reason()));
        }
        if (reserved instanceof ReservationOutcome.NoHeadroom full) {
            return waitForQuota(job, full.retryAt(), full.reason());
        }
        Reservation reservation = ((ReservationOutcome.Granted) reserved).reservation();
        Account account = reservation.account();
        Instant started = clock.instant();
        ProviderOutcome outcome;
        try {
            outcome = provider.generate(job.request(), account);
        } catch (RuntimeException unexpected) {
            outcome = new ProviderOutcome.RetryLater("provider_error", String.valueOf(unexpected.getMessage()));
        } finally {
            ledger.release(reservation);
        }
        jobs.recordAttempt(job.id(), attempt(job, account, started, outcome));
        Optional<RateLimit> rateLimited = provider.rateLimit(outcome);
        if (rateLimited.isPresent()) {
            // Someone else spends this account's quota too: it cools down for everyone; the job tries again at
            // once, on another account if one has room, else when the ledger says a window opens.
            Instant until = ledger.coolDown(reservation, rateLimited.get());
            return waitForQuota(job, clock.instant(), "429 on " + account.id() + ", cooling down until "
                    + until + ": " + rateLimited.get().message());
        }
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (outcome instanceof ProviderOutcome.Generated generated) {
            return succeed(job, generated.images());
        }
        if (outcome instanceof ProviderOutcome.Refused refused) {
            return fail(job, new JobError(refused.type(), refused.message()));
        }
        if (outcome instanceof ProviderOutcome.Ambiguous ambiguous) {
            return retryAmbiguousOrGiveUp(job, new JobError(ambiguous.type(), ambiguous.message()));
        }
        if (outcome instanceof ProviderOutcome.RateLimited limited) {
            // a 429 the gateway did not read as one: a passing failure
            return retryOrGiveUp(job, new JobError(limited.type(), limited.message()), limited.retryAfter());
        }
        ProviderOutcome.RetryLater retry = (ProviderOutcome.RetryLater) outcome;
        return retryOrGiveUp(job, new JobError(retry.type(), retry.message()), Optional.empty());
    }

    private ProcessingResult waitForQuota(Job job, Instant until, String reason) {
        jobs.waitForQuota(job.id(), until, clock.instant());
        return new ProcessingResult.WaitForQuota(until, reason);
    }

    /**
     * Images are stored before the job is marked SUCCEEDED, and the provider call is logged before both. So when
     * an earlier attempt logged a GENERATED call and all its images are in the store, only the last step was lost.
     */
    private Optional<List<StoredImage>> imagesOfAnInterruptedSuccess(Job job) {
        Optional<Attempt> generated = job.attemptLog().stream()
                .filter(attempt -> attempt.outcome() == Attempt.Outcome.GENERATED && attempt.number() < job.attempts())
                .reduce((first, last) -> last);
        if (generated.isEmpty()) {
            return Optional.empty();
        }
        List<StoredImage> stored = images.stored("generations/" + job.id() + "/");
        return stored.size() >= generated.get().images() && !stored.isEmpty() ? Optional.of(stored) : Optional.empty();
    }

    /**
     * Each earlier attempt that claimed the job but never recorded a call's outcome died on the way (Lambda
     * timeout, crash) — perhaps after its request reached the provider. It is logged as an ambiguous call,
     * so the ambiguous-retry policy counts it like a call that timed out after sending.
     */
    private Job recordLostAttempt(Job job) {
        var request = job.request();
        boolean recorded = false;
        for (int earlier = 1; earlier < job.attempts(); earlier++) {
            int number = earlier;
            if (job.attemptLog().stream().noneMatch(logged -> logged.number() == number)) {
                jobs.recordAttempt(job.id(), new Attempt(number, "unknown", job.account().orElse("unknown"), request.model(),
                        job.startedAt().orElse(job.createdAt()), Duration.ZERO, Attempt.Outcome.AMBIGUOUS, Optional.of("worker_lost"),
                        0, Usage.NONE, prices.estimate(request.model(), request.resolution(), request.count())));
                recorded = true;
            }
        }
        return recorded ? jobs.find(job.id()).orElseThrow() : job;
    }

    private Attempt attempt(Job job, Account account, Instant started, ProviderOutcome outcome) {
        Duration latency = Duration.between(started, clock.instant());
        var request = job.request();
        Attempt.Outcome kind;
        Optional<String> errorType;
        int imageCount = 0;
        Usage usage = Usage.NONE;
        BigDecimal cost = BigDecimal.ZERO;
        if (outcome instanceof ProviderOutcome.Generated generated) {
            kind = Attempt.Outcome.GENERATED;
            errorType = Optional.empty();
            imageCount = generated.images().size();
            usage = generated.usage();
            cost = prices.estimate(request.model(), request.resolution(), imageCount);
        } else if (outcome instanceof ProviderOutcome.Refused refused) {
            kind = Attempt.Outcome.REFUSED;
            errorType = Optional.of(refused.type());
        } else if (outcome instanceof ProviderOutcome.RateLimited limited) {
            kind = Attempt.Outcome.RATE_LIMITED;
            errorType = Optional.of(limited.type());
        } else if (outcome instanceof ProviderOutcome.Ambiguous ambiguous) {
            kind = Attempt.Outcome.AMBIGUOUS;
            errorType = Optional.of(ambiguous.type());
            // Unknown whether it was billed: the estimate says what it would have cost if it was.
            cost = prices.estimate(request.model(), request.resolution(), request.count());
        } else {
            kind = Attempt.Outcome.RETRY_LATER;
            errorType = Optional.of(((ProviderOutcome.RetryLater) outcome).type());
        }
        return new Attempt(job.attempts(), account.provider(), account.id(), request.model(), started, latency, kind,
                errorType, imageCount, usage, account.isSimulated() ? BigDecimal.ZERO : cost);
    }

    private ProcessingResult succeed(Job job, List<GeneratedImage> generated) {
        List<StoredImage> stored = new ArrayList<>(generated.size());
        for (int n = 0; n < generated.size(); n++) {
            GeneratedImage image = generated.get(n);
            String key = "generations/" + job.id() + "/" + n + "." + image.fileExtension();
            images.put(key, image.bytes(), image.contentType());
            stored.add(new StoredImage(key, image.contentType(), image.bytes().length));
        }
        jobs.markSucceeded(job.id(), stored, clock.instant());
        return finished(job, JobStatus.SUCCEEDED);
    }

    private ProcessingResult fail(Job job, JobError error) {
        jobs.markFailed(job.id(), error, clock.instant());
        return finished(job, JobStatus.FAILED);
    }

    /**
     * Only a job with a callback URL costs the notice (one queue message); a failed notice fails the delivery, whose
     * retry finds the job finished and sends the notice then.
     */
    private ProcessingResult finished(Job job, JobStatus status) {
        if (job.callback().isPresent()) {
            notices.jobFinished(job.id());
        }
        return new ProcessingResult.Finished(status);
    }

    private ProcessingResult retryAmbiguousOrGiveUp(Job job, JobError error) {
        // job.attemptLog() is the log before this call: earlier ambiguous calls only.
        if (job.ambiguousCalls() >= retryPolicy.ambiguousRetries()) {
            return fail(job, new JobError(error.type(), "not retried: the provider may have generated and billed it "
                    + "(" + (job.ambiguousCalls() + 1) + " ambiguous calls, policy allows "
                    + retryPolicy.ambiguousRetries() + " retries); last: " + error.message()));
        }
        return retryOrGiveUp(job, error, Optional.empty());
    }

    private ProcessingResult retryOrGiveUp(Job job, JobError error, Optional<Duration> notBefore) {
        if (job.attempts() >= retryPolicy.maxAttempts()) {
            return fail(job, new JobError(error.type(),
                    "gave up after " + job.attempts() + " attempts; last: " + error.message()));
        }
        jobs.release(job.id(), error, clock.instant());
        return new ProcessingResult.RetryLater(error.type() + ": " + error.message(), notBefore);
    }
}
