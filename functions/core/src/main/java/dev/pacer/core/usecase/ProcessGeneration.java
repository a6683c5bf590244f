package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.InFlightImages;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one delivery of a job: claim it, reserve quota on an account, call the provider on that account, store
 * the images, record the outcome. With no quota to be had the job waits (WAITING_FOR_QUOTA) instead of failing.
 * Each step has its collaborator; {@link #process} says in which order they come.
 */
public final class ProcessGeneration {

    private static final System.Logger LOG = System.getLogger(ProcessGeneration.class.getName());
    /** How long a job keeps off an account whose 429 the ledger could not record, when the provider named no delay. */
    private static final Duration COOLDOWN_NOT_RECORDED = Duration.ofMinutes(1);

    /** What the use case is set up with: the models it knows, how it retries, what images cost, and its clock. */
    public record Settings(ModelCatalog catalog, RetryPolicy retryPolicy, PriceTable prices, Clock clock) {
        public Settings {
            Objects.requireNonNull(catalog, "catalog");
            Objects.requireNonNull(retryPolicy, "retryPolicy");
            Objects.requireNonNull(prices, "prices");
            Objects.requireNonNull(clock, "clock");
        }
    }

    private final JobTransitions transitions;
    private final EarlierAttempts earlierAttempts;
    private final RetryBudget budget;
    private final QuotaLedger ledger;
    private final ProviderCall providerCall;
    private final JobImages jobImages;
    private final InFlightImages inFlight;
    private final JobMetrics metrics;
    private final Settings settings;

    /** Without a bound on the images in flight. */
    public ProcessGeneration(JobStore jobs, QuotaLedger ledger, ImageProvider provider, ImageStore images, JobMetrics metrics,
            CompletionNotices notices, Settings settings) {
        this(jobs, ledger, provider, images, InFlightImages.unbounded(), metrics, notices, settings);
    }

    /** @param inFlight room in this instance's memory: a job waits for it before it reserves quota */
    public ProcessGeneration(JobStore jobs, QuotaLedger ledger, ImageProvider provider, ImageStore images, InFlightImages inFlight,
            JobMetrics metrics, CompletionNotices notices, Settings settings) {
        AttemptLog log = new AttemptLog(settings.prices());
        this.transitions = new JobTransitions(jobs, metrics, notices, settings.retryPolicy().lease(), settings.clock());
        this.jobImages = new JobImages(images);
        this.inFlight = inFlight;
        this.earlierAttempts = new EarlierAttempts(jobImages, log);
        this.budget = new RetryBudget(settings.retryPolicy());
        this.ledger = ledger;
        this.providerCall = new ProviderCall(provider, ledger, log, metrics, settings.clock());
        this.metrics = metrics;
        this.settings = settings;
    }

    public ProcessingResult process(JobId id) {
        Optional<Job> claimed = transitions.claim(id);
        if (claimed.isEmpty()) {
            // A duplicate delivery, a finished job, or a job another attempt is running: never call twice.
            return transitions.notOurs(id);
        }
        Progress earlier = new Progress(claimed.get(), List.of(), List.of());
        GenerationRequest request;
        Reservation reservation;
        Optional<InFlightImages.Room> room = Optional.empty();
        try {
            // The lost attempts count for the retry policy now; they are written with this attempt's transition.
            earlier = earlierAttempts.recover(claimed.get());
            if (earlier.hasEveryImage()) {
                // An earlier attempt got its images and stored them, then died before marking the job: finish it, no new call.
                return transitions.succeed(earlierAttempts.repaired(earlier), Optional.empty());
            }
            Job job = earlier.job();
            earlier.calls().forEach(lost -> metrics.called(job, lost));
            if (job.cancelRequestedAt().isPresent()) {
                // its attempt died after its owner asked to cancel it: the job was taken over only to be ended
                return transitions.cancelInsteadOfRetry(earlier);
            }
            Optional<JobError> tooManyLost = budget.tooManyLost(job);
            if (tooManyLost.isPresent()) {
                return transitions.fail(earlier, tooManyLost.get());
            }
            Optional<ModelSpec> model = settings.catalog().find(job.request().model());
            if (model.isEmpty()) {
                return transitions.fail(earlier, new JobError("unknown_model", "no provider serves " + job.request().model()));
            }
            // Only the images still missing are asked for, and reserved: those earlier attempts made are kept.
            request = earlier.rest();
            // The images' room in this worker's memory is held from before the reservation until they are stored.
            room = inFlight.take(request);
            if (room.isEmpty()) {
                // Nothing sent, nothing reserved: the job goes back to the queue, where another instance takes it.
                return transitions.waitForQuota(earlier, settings.clock().instant(), "no room in this worker's memory for "
                        + request.count() + " " + request.resolution() + " image(s)");
            }
            ReservationOutcome reserved = ledger.reserve(request.model(), Demand.of(request, model.get()),
                    settings.retryPolicy().lease());
            if (reserved.granted().isEmpty()) {
                room.get().close();
                return reserved.opensAt().isPresent() ? waitForQuota(earlier, reserved.opensAt().get(), reserved.reason())
                        : transitions.fail(earlier, new JobError("quota_unservable", reserved.reason()));
            }
            reservation = reserved.granted().get();
        } catch (RuntimeException beforeTheCall) {
            // Nothing was sent (a store or the ledger failed): the job goes back to the queue at once, its attempt given back.
            room.ifPresent(InFlightImages.Room::close);
            return transitions.giveBack(earlier, beforeTheCall);
        }
        Job job = earlier.job();
        ProviderCall.Called call;
        Progress after;
        try (InFlightImages.Room held = room.get()) {
            call = providerCall.call(job, request, reservation);
            after = earlier.after(call.attempt(), jobImages.store(job, earlier.images(), call.outcome()));
        }
        Optional<ProviderOutcome.Failure> missing = call.outcome().missing();
        if (missing.isEmpty()) {
            return transitions.succeed(after, Optional.empty());
        }
        // From here on some or all of the images are missing; the stored ones stay, and a retry asks only for the rest.
        Optional<RateLimit> rateLimit = missing.get().rateLimit();
        if (rateLimit.isPresent()) {
            return afterRateLimit(after, reservation, rateLimit.get());
        }
        Optional<JobError> noRetry = budget.noRetry(job, missing.get());
        return noRetry.isPresent() ? transitions.fail(after, noRetry.get()) : transitions.release(after, missing.get().error());
    }

    /**
     * Someone else spends this account's quota too: it cools down for everyone, and the job tries again at once, on
     * another account if one has room, else when the ledger says a window opens. A cooldown the ledger fails to write
     * must not lose the call's result: the job then keeps off for the delay the provider asked for.
     */
    private ProcessingResult afterRateLimit(Progress after, Reservation reservation, RateLimit rateLimit) {
        Instant now = settings.clock().instant();
        String account = reservation.account().id();
        Instant until;
        try {
            until = ledger.coolDown(reservation, rateLimit);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not cool " + account + " down after a 429", e);
            return waitForQuota(after, now.plus(rateLimit.retryDelay().orElse(COOLDOWN_NOT_RECORDED)),
                    "429 on " + account + ", not cooled down (the ledger failed): " + rateLimit.message());
        }
        return waitForQuota(after, now, "429 on " + account + ", cooling down until " + until + ": " + rateLimit.message());
    }

    /**
     * Waiting is not a failure, but it has a bound: a job that would still be waiting past its deadline (or the
     * policy's longest wait) ends FAILED now, since a project with no quota for the model answers 429 for ever.
     */
    private ProcessingResult waitForQuota(Progress progress, Instant until, String reason) {
        Optional<JobError> tooLong = budget.waitedTooLong(progress.job(), until);
        return tooLong.isPresent() ? transitions.fail(progress, tooLong.get()) : transitions.waitForQuota(progress, until, reason);
    }
}
