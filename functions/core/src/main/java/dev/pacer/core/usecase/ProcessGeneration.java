package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs one delivery of a job: claim it, reserve quota on an account, call the provider on that account, store
 * the images, record the outcome. With no quota to be had the job waits (WAITING_FOR_QUOTA) instead of failing.
 */
public final class ProcessGeneration {

    /** The error type of an attempt that claimed the job and was never heard of again. */
    private static final String WORKER_LOST = "worker_lost";

    private final JobStore jobs;
    private final QuotaLedger ledger;
    private final ModelCatalog catalog;
    private final ImageProvider provider;
    private final ImageStore images;
    private final RetryPolicy retryPolicy;
    private final PriceTable prices;
    private final JobMetrics metrics;
    private final CompletionNotices notices;
    private final Clock clock;

    public ProcessGeneration(JobStore jobs, QuotaLedger ledger, ModelCatalog catalog, ImageProvider provider, ImageStore images,
            RetryPolicy retryPolicy, PriceTable prices, JobMetrics metrics, CompletionNotices notices, Clock clock) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.catalog = catalog;
        this.provider = provider;
        this.images = images;
        this.retryPolicy = retryPolicy;
        this.prices = prices;
        this.metrics = metrics;
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
        List<Attempt> lost = lostAttempts(claimed.get());
        // The lost attempts count for the retry policy now; they are written with this attempt's transition.
        Job job = claimed.get().withCalls(lost);
        List<StoredImage> kept = imagesAlreadyStored(job);
        if (kept.size() >= job.request().count()) {
            // An earlier attempt got its images and stored them, then died before marking the job: finish it, no new call.
            return succeed(job, kept, Optional.empty(), repaired(claimed.get(), lost, kept));
        }
        lost.forEach(attempt -> metrics.called(job, attempt));
        if (job.ambiguousCalls() > retryPolicy.ambiguousRetries()) {
            return fail(job, kept, lost, new JobError(WORKER_LOST, "not retried: a worker was lost during an earlier call, which the "
                    + "provider may have generated and billed (" + job.ambiguousCalls() + " such calls, policy allows "
                    + retryPolicy.ambiguousRetries() + " retries)"));
        }
        Optional<ModelSpec> model = catalog.find(job.request().model());
        if (model.isEmpty()) {
            return fail(job, kept, lost, new JobError("unknown_model", "no provider serves " + job.request().model()));
        }
        // Only the images still missing are asked for, and reserved: those earlier attempts made are kept.
        GenerationRequest request = job.request().withCount(job.request().count() - kept.size());
        ReservationOutcome reserved = ledger.reserve(request.model(), Demand.of(request, model.get().provider()),
                retryPolicy.lease());
        if (reserved.granted().isEmpty()) {
            return reserved.opensAt().isPresent() ? waitForQuota(job, lost, reserved.opensAt().get(), reserved.reason())
                    : fail(job, kept, lost, new JobError("quota_unservable", reserved.reason()));
        }
        Reservation reservation = reserved.granted().get();
        Account account = reservation.account();
        Instant started = clock.instant();
        if (job.attemptLog().isEmpty()) {
            metrics.firstCallStarting(job, Duration.between(job.createdAt(), started));
        }
        ProviderOutcome outcome;
        try {
            outcome = provider.generate(request, account);
        } catch (RuntimeException unexpected) {
            outcome = new ProviderOutcome.RetryLater("provider_error", String.valueOf(unexpected.getMessage()));
        } finally {
            ledger.release(reservation);
        }
        Attempt called = attempt(job, request, account, started, outcome);
        metrics.called(job, called);
        List<Attempt> calls = new ArrayList<>(lost);
        calls.add(called);
        List<StoredImage> stored = store(job, kept, outcome.made().map(ProviderOutcome.Generated::images).orElse(List.of()));
        Optional<ProviderOutcome.Failure> missing = outcome.missing();
        if (missing.isEmpty()) {
            return succeed(job, stored, Optional.empty(), calls);
        }
        // From here on some or all of the images are missing; the stored ones stay, and a retry asks only for the rest.
        ProviderOutcome.Failure failure = missing.get();
        Optional<RateLimit> rateLimited = failure.rateLimit();
        if (rateLimited.isPresent()) {
            // Someone else spends this account's quota too: it cools down for everyone; the job tries again at
            // once, on another account if one has room, else when the ledger says a window opens.
            Instant until = ledger.coolDown(reservation, rateLimited.get());
            return waitForQuota(job, calls, clock.instant(), "429 on " + account.id() + ", cooling down until "
                    + until + ": " + rateLimited.get().message());
        }
        JobError error = failure.error();
        if (!failure.isRetryable()) {
            return fail(job, stored, calls, error);
        }
        if (failure.isAmbiguous()) {
            return retryAmbiguousOrGiveUp(job, stored, calls, error);
        }
        return retryOrGiveUp(job, stored, calls, error, Optional.empty());
    }

    private ProcessingResult waitForQuota(Job job, List<Attempt> calls, Instant until, String reason) {
        jobs.waitForQuota(job.id(), until, calls, clock.instant());
        metrics.waitingForQuota(job);
        return new ProcessingResult.WaitForQuota(until, reason);
    }

    /**
     * The images earlier attempts made and stored, in their order. Images are stored before the transition that logs
     * their call, so the store is asked only when a logged call made some, or when an attempt was lost (it may have
     * stored some, or all, before dying). When all of them are there, only marking the job SUCCEEDED was lost.
     */
    private List<StoredImage> imagesAlreadyStored(Job job) {
        boolean mayHaveStored = job.attemptLog().stream()
                .anyMatch(attempt -> attempt.images() > 0 || attempt.errorType().equals(Optional.of(WORKER_LOST)));
        if (!mayHaveStored) {
            return List.of();
        }
        return images.stored(imagePrefix(job)).stream()
                .sorted(Comparator.comparingInt(ProcessGeneration::imageNumber))
                .toList();
    }

    /**
     * Each earlier attempt that claimed the job but never logged its outcome died on the way (Lambda timeout,
     * crash) — perhaps after its request reached the provider. It is logged as an ambiguous call, so the
     * ambiguous-retry policy counts it like a call that timed out after sending.
     */
    private List<Attempt> lostAttempts(Job job) {
        var request = job.request();
        List<Attempt> lost = new ArrayList<>();
        for (int earlier = 1; earlier < job.attempts(); earlier++) {
            int number = earlier;
            if (job.attemptLog().stream().noneMatch(logged -> logged.number() == number)) {
                lost.add(new Attempt(number, "unknown", job.account().orElse("unknown"), request.model(),
                        job.startedAt().orElse(job.createdAt()), Duration.ZERO, Attempt.Outcome.AMBIGUOUS, Optional.of(WORKER_LOST),
                        0, Usage.NONE, prices.estimate(request.model(), request.resolution(), request.count())));
            }
        }
        return lost;
    }

    /** The lost attempts, the last of which is now known to have generated (and stored) the images no logged call made. */
    private List<Attempt> repaired(Job job, List<Attempt> lost, List<StoredImage> stored) {
        var request = job.request();
        int made = Math.max(0, stored.size() - job.attemptLog().stream().mapToInt(Attempt::images).sum());
        return lost.stream().map(attempt -> attempt.number() != job.attempts() - 1 ? attempt
                : new Attempt(attempt.number(), attempt.provider(), attempt.account(), attempt.model(), attempt.startedAt(),
                        attempt.latency(), Attempt.Outcome.GENERATED, Optional.empty(), made, Usage.NONE,
                        prices.estimate(request.model(), request.resolution(), made)))
                .toList();
    }

    /**
     * One call as the log keeps it: the images it brought, and, for those it did not bring, how it failed (a call
     * that brought some and not others is logged with both).
     */
    private Attempt attempt(Job job, GenerationRequest request, Account account, Instant started, ProviderOutcome outcome) {
        Duration latency = Duration.between(started, clock.instant());
        Optional<ProviderOutcome.Generated> made = outcome.made();
        int imageCount = made.map(generated -> generated.images().size()).orElse(0);
        Optional<ProviderOutcome.Failure> missing = outcome.missing();
        BigDecimal cost = prices.estimate(request.model(), request.resolution(), imageCount);
        if (missing.filter(ProviderOutcome.Failure::isAmbiguous).isPresent()) {
            // Unknown whether the missing images were billed: the estimate says what they would have cost if they were.
            cost = cost.add(prices.estimate(request.model(), request.resolution(), request.count() - imageCount));
        }
        return new Attempt(job.attempts(), account.provider(), account.id(), request.model(), started, latency,
                missing.map(ProviderOutcome.Failure::attemptOutcome).orElse(Attempt.Outcome.GENERATED), missing.map(ProviderOutcome.Failure::type),
                imageCount, made.map(ProviderOutcome.Generated::usage).orElse(Usage.NONE), account.isSimulated() ? BigDecimal.ZERO : cost);
    }

    /** Stores a call's images after those earlier attempts kept, numbered on from them: nothing is overwritten. */
    private List<StoredImage> store(Job job, List<StoredImage> kept, List<GeneratedImage> made) {
        List<StoredImage> stored = new ArrayList<>(kept);
        for (GeneratedImage image : made) {
            String key = imagePrefix(job) + stored.size() + "." + image.fileExtension();
            images.put(key, image.bytes(), image.contentType());
            stored.add(new StoredImage(key, image.contentType(), image.bytes().length));
        }
        return stored;
    }

    private static String imagePrefix(Job job) {
        return "generations/" + job.id() + "/";
    }

    /** {@code generations/{id}/{n}.{ext}} → n. */
    private static int imageNumber(StoredImage image) {
        String name = image.key().substring(image.key().lastIndexOf('/') + 1);
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    /**
     * The job ends without the images still missing: FAILED when it has none, SUCCEEDED with what it has otherwise
     * (images made are billed and never thrown away), the error then saying why the rest are missing.
     */
    private ProcessingResult fail(Job job, List<StoredImage> stored, List<Attempt> calls, JobError error) {
        if (!stored.isEmpty()) {
            return succeed(job, stored, Optional.of(error), calls);
        }
        jobs.markFailed(job.id(), error, calls, clock.instant());
        metrics.failed(job, error);
        return finished(job, JobStatus.FAILED);
    }

    /** SUCCEEDED with its images; {@code shortfall} says why some are missing, if any are. */
    private ProcessingResult succeed(Job job, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls) {
        jobs.markSucceeded(job.id(), images, shortfall, calls, clock.instant());
        metrics.succeeded(job);
        return finished(job, JobStatus.SUCCEEDED);
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

    private ProcessingResult retryAmbiguousOrGiveUp(Job job, List<StoredImage> stored, List<Attempt> calls, JobError error) {
        // job.attemptLog() is the log before this call: earlier ambiguous calls only.
        if (job.ambiguousCalls() >= retryPolicy.ambiguousRetries()) {
            return fail(job, stored, calls, new JobError(error.type(), "not retried: the provider may have generated and billed it "
                    + "(" + (job.ambiguousCalls() + 1) + " ambiguous calls, policy allows "
                    + retryPolicy.ambiguousRetries() + " retries); last: " + error.message()));
        }
        return retryOrGiveUp(job, stored, calls, error, Optional.empty());
    }

    private ProcessingResult retryOrGiveUp(Job job, List<StoredImage> stored, List<Attempt> calls, JobError error,
            Optional<Duration> notBefore) {
        if (job.attempts() >= retryPolicy.maxAttempts()) {
            return fail(job, stored, calls, new JobError(error.type(),
                    "gave up after " + job.attempts() + " attempts; last: " + error.message()));
        }
        jobs.release(job.id(), error, calls, clock.instant());
        return new ProcessingResult.RetryLater(error.type() + ": " + error.message(), notBefore);
    }
}
