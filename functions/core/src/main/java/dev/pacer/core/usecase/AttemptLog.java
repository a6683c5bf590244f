package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.Demand;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The entries of a job's attempt log: each provider call as the log keeps it, with what it probably cost. */
final class AttemptLog {

    /** The error type of an attempt that claimed the job and was never heard of again. */
    static final String WORKER_LOST = "worker_lost";

    /**
     * How many calls that only met a 429 a job's log keeps one by one; later ones are only counted, in the job's
     * {@code quotaWaits}. A project with no quota answers 429 for ever, and DynamoDB keeps at most 400 KB per job.
     */
    static final int RATE_LIMITED_CALLS_KEPT = 10;

    private final PriceTable prices;

    AttemptLog(PriceTable prices) {
        this.prices = prices;
    }

    /**
     * One call as the log keeps it: the images it brought, and, for those it did not bring, how it failed (a call
     * that brought some and not others is logged with both).
     */
    Attempt called(Job job, GenerationRequest request, Account account, Instant started, Duration latency, ProviderOutcome outcome) {
        Optional<ProviderOutcome.Generated> made = outcome.made();
        int imageCount = made.map(generated -> generated.images().size()).orElse(0);
        Optional<ProviderOutcome.Failure> missing = outcome.missing();
        BigDecimal cost = prices.estimate(request.model(), request.resolution(), imageCount);
        if (missing.filter(ProviderOutcome.Failure::isAmbiguous).isPresent()) {
            // Unknown whether the missing images were billed: the estimate says what they would have cost if they were.
            cost = cost.add(prices.estimate(request.model(), request.resolution(), request.count() - imageCount));
        }
        if (imageCount > 0 || missing.filter(ProviderOutcome.Failure::isAmbiguous).isPresent()) {
            // An edit's reference images are billed as input tokens on each request that reached the model.
            int requests = Demand.requests(request, account.provider());
            cost = cost.add(prices.inputEstimate(request, requests));
        }
        return new Attempt(job.attempts(), account.provider(), account.id(), request.model(), started, latency,
                missing.map(ProviderOutcome.Failure::attemptOutcome).orElse(Attempt.Outcome.GENERATED),
                missing.map(ProviderOutcome.Failure::type), imageCount, made.map(ProviderOutcome.Generated::usage).orElse(Usage.NONE),
                account.isSimulated() ? BigDecimal.ZERO : cost);
    }

    /**
     * An earlier attempt that claimed the job but never logged its outcome: it died on the way, perhaps after its
     * request reached the provider. It is logged as an ambiguous call, so the ambiguous-retry policy counts it like a
     * call that timed out after sending.
     */
    Attempt lost(Job job, int number) {
        GenerationRequest request = job.request();
        return new Attempt(number, "unknown", job.account().orElse("unknown"), request.model(),
                job.startedAt().orElse(job.createdAt()), Duration.ZERO, Attempt.Outcome.AMBIGUOUS, Optional.of(WORKER_LOST),
                0, Usage.NONE, prices.estimate(request.model(), request.resolution(), request.count()));
    }

    /**
     * The calls of {@code job}'s attempt that its log keeps: all of them, but a call that only met a 429 (no image,
     * nothing billed) once the log holds {@link #RATE_LIMITED_CALLS_KEPT} of those.
     */
    static List<Attempt> kept(Job job, List<Attempt> calls) {
        long rateLimited = job.attemptLog().stream().filter(AttemptLog::onlyRateLimited).count();
        List<Attempt> kept = new ArrayList<>();
        for (Attempt call : calls) {
            if (onlyRateLimited(call) && rateLimited++ >= RATE_LIMITED_CALLS_KEPT) {
                continue;
            }
            kept.add(call);
        }
        return kept;
    }

    private static boolean onlyRateLimited(Attempt call) {
        return call.outcome() == Attempt.Outcome.RATE_LIMITED && call.images() == 0;
    }

    /** A lost attempt now known to have generated (and stored) {@code made} images. */
    Attempt generated(Attempt lost, GenerationRequest request, int made) {
        return new Attempt(lost.number(), lost.provider(), lost.account(), lost.model(), lost.startedAt(), lost.latency(),
                Attempt.Outcome.GENERATED, Optional.empty(), made, Usage.NONE, prices.estimate(request.model(), request.resolution(), made));
    }
}
