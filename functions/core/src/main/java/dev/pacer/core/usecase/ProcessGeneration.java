package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.ProviderGateway;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;

import java.time.Clock;
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
    private final Clock clock;

    public ProcessGeneration(JobStore jobs, QuotaLedger ledger, ModelCatalog catalog, ProviderGateway provider, ImageStore images,
            RetryPolicy retryPolicy, Clock clock) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.catalog = catalog;
        this.provider = provider;
        this.images = images;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
    }

    public ProcessingResult process(JobId id) {
        Instant now = clock.instant();
        Optional<Job> claimed = jobs.claim(id, now, now.plus(retryPolicy.lease()));
        if (claimed.isEmpty()) {
            // A duplicate delivery, a finished job, or a job another attempt is running: never call twice.
            return new ProcessingResult.Skipped(jobs.find(id)
                    .map(job -> "job is " + job.status())
                    .orElse("no such job"));
        }
        Job job = claimed.get();
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
        jobs.assignAccount(job.id(), reservation.account().id());
        ProviderOutcome outcome;
        try {
            outcome = provider.generate(job.request(), reservation.account());
        } catch (RuntimeException unexpected) {
            outcome = new ProviderOutcome.RetryLater("provider_error", String.valueOf(unexpected.getMessage()));
        } finally {
            ledger.release(reservation);
        }
        Optional<RateLimit> rateLimited = provider.rateLimit(outcome);
        if (rateLimited.isPresent()) {
            // Someone else spends this account's quota too: it cools down for everyone; the job tries again at
            // once, on another account if one has room, else when the ledger says a window opens.
            Instant until = ledger.coolDown(reservation, rateLimited.get());
            return waitForQuota(job, clock.instant(), "429 on " + reservation.account().id() + ", cooling down until "
                    + until + ": " + rateLimited.get().message());
        }
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (outcome instanceof ProviderOutcome.Generated generated) {
            return succeed(job, generated.images());
        }
        if (outcome instanceof ProviderOutcome.Refused refused) {
            return fail(job, new JobError(refused.type(), refused.message()));
        }
        ProviderOutcome.RetryLater retry = (ProviderOutcome.RetryLater) outcome;
        return retryOrGiveUp(job, new JobError(retry.type(), retry.message()));
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
        return new ProcessingResult.Finished(JobStatus.SUCCEEDED);
    }

    private ProcessingResult waitForQuota(Job job, Instant until, String reason) {
        jobs.waitForQuota(job.id(), until, clock.instant());
        return new ProcessingResult.WaitForQuota(until, reason);
    }

    private ProcessingResult fail(Job job, JobError error) {
        jobs.markFailed(job.id(), error, clock.instant());
        return new ProcessingResult.Finished(JobStatus.FAILED);
    }

    private ProcessingResult retryOrGiveUp(Job job, JobError error) {
        if (job.attempts() >= retryPolicy.maxAttempts()) {
            return fail(job, new JobError(error.type(),
                    "gave up after " + job.attempts() + " attempts; last: " + error.message()));
        }
        jobs.release(job.id(), error, clock.instant());
        return new ProcessingResult.RetryLater(error.type() + ": " + error.message());
    }
}
