package dev.pacer.core.capacity;

import dev.pacer.core.usecase.BatchLaneSettings;
import dev.pacer.core.usecase.BatchQuota;
import dev.pacer.core.usecase.BatchSupport;

import dev.pacer.core.capacity.CapacityPlan.Ceiling;
import dev.pacer.core.capacity.CapacityPlan.Cost;
import dev.pacer.core.capacity.CapacityPlan.LatencySource;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.RecentLatencies;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.AccountUsage;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.usecase.PriceTable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Plans capacity for a steady pace of one-image jobs: throughput = concurrency × 60 / latency, capped by the
 * pool's quota. Latency is the median of recent successful jobs once there are enough of them, else the seed's
 * figure for the resolution (4K: the middle of 90–170 s).
 */
public final class CapacityPlanner {

    /** The SQS event source mapping's MaximumConcurrency range. */
    public static final int SQS_MIN_CONCURRENCY = 2;
    public static final int SQS_MAX_CONCURRENCY = 1000;
    /** Recent successes read per question, and how many it takes to trust them over the seed. */
    static final int LATENCY_SAMPLES = 50;
    static final int MIN_LATENCY_SAMPLES = 5;

    private static final int MINUTES_PER_DAY = 1440;

    private final AccountPool pool;
    private final QuotaLedger ledger;
    private final RecentLatencies latencies;
    private final PriceTable prices;
    private final AwsCosts aws;
    private final Clock clock;
    private final BatchSupport batchSupport;
    private final BatchLaneSettings batchLane;

    /** A planner for a stack without a batch lane: the plan says so. */
    public CapacityPlanner(AccountPool pool, QuotaLedger ledger, RecentLatencies latencies, PriceTable prices, AwsCosts aws,
            Clock clock) {
        this(pool, ledger, latencies, prices, aws, clock, BatchSupport.none(), BatchLaneSettings.standard());
    }

    public CapacityPlanner(AccountPool pool, QuotaLedger ledger, RecentLatencies latencies, PriceTable prices, AwsCosts aws,
            Clock clock, BatchSupport batchSupport, BatchLaneSettings batchLane) {
        this.batchSupport = batchSupport;
        this.batchLane = batchLane;
        this.pool = pool;
        this.ledger = ledger;
        this.latencies = latencies;
        this.prices = prices;
        this.aws = aws;
        this.clock = clock;
    }

    public CapacityPlan plan(CapacityQuestion question) {
        Instant now = clock.instant();
        String model = question.model();
        double target = question.imagesPerMinute();
        List<String> warnings = new ArrayList<>();

        Measured measured = latencyOf(model, question.resolution());
        Duration latency = measured.latency();
        double seconds = latency.toMillis() / 1000.0;

        List<AccountUsage> serving = ledger.usage().stream().filter(u -> u.model().equals(model)).toList();
        Ceiling ceiling = ceiling(serving, seconds);
        int concurrency = (int) Math.ceil(target * seconds / 60 - 1e-9);
        int sqsConcurrency = Math.max(SQS_MIN_CONCURRENCY, concurrency);
        double requestsNeeded = concurrency * 60 / seconds;

        if (serving.isEmpty()) {
            warnings.add("no account in the pool serves " + model + ": nothing can be generated");
        } else if (target > ceiling.imagesPerMinute() + 1e-9) {
            warnings.add("target " + fmt(target) + " images/min is above the pool's ceiling of " + fmt(ceiling.imagesPerMinute())
                    + " images/min kept up all provider day (" + ceiling.imagesPerDay() + " images/day): add accounts or raise their limits");
        }
        if (!serving.isEmpty() && requestsNeeded > ceiling.requestsPerMinute()) {
            warnings.add(concurrency + " calls in flight ask for up to " + fmt(requestsNeeded) + " requests/min but the pool allows "
                    + ceiling.requestsPerMinute() + ": jobs will wait for quota");
        }
        if (sqsConcurrency > SQS_MAX_CONCURRENCY) {
            warnings.add("needs " + sqsConcurrency + " concurrent workers; the SQS event source mapping allows at most "
                    + SQS_MAX_CONCURRENCY + ": split the load across stacks");
        }

        boolean simulated = !serving.isEmpty() && serving.stream().allMatch(u -> u.provider().equals(Account.SIMULATED_PROVIDER));
        BigDecimal provider = simulated ? BigDecimal.ZERO : prices.estimate(model, question.resolution(), 1);
        if (!simulated && !prices.lists(model, question.resolution())) {
            warnings.add("no list price for " + model + " at " + question.resolution() + " in the model catalog: provider cost shows as 0");
        }
        BigDecimal awsCost = aws.perImage(question.resolution(), latency);

        return new CapacityPlan(model, question.resolution(), target, latency, measured.source(), serving.size(), ceiling,
                concurrency, Math.min(sqsConcurrency, SQS_MAX_CONCURRENCY), requestsNeeded,
                runsOutAt(serving, Math.min(target, perMinuteLimit(serving, seconds)), now),
                new Cost(usd(provider), usd(awsCost), usd(provider.add(awsCost))), batchLane(model, question.resolution(), now), warnings);
    }

    /** What the batch lane offers for these images: see {@link CapacityPlan.BatchLane}. */
    private CapacityPlan.BatchLane batchLane(String model, Resolution resolution, Instant now) {
        Duration turnaround = batchLane.lanes().batchNeeds();
        List<Account> accounts = batchSupport.accounts(model);
        if (accounts.isEmpty()) {
            return CapacityPlan.BatchLane.unavailable(model + " has no batch lane here: no account serving it has a provider with a "
                    + "Batch API", turnaround);
        }
        boolean simulated = accounts.stream().allMatch(Account::isSimulated);
        BigDecimal provider = simulated ? BigDecimal.ZERO : prices.batchEstimate(model, resolution, 1);
        // No worker waits on a batch: AWS's share is the requests and the storage, not a blocked call's GB-seconds.
        BigDecimal awsCost = aws.perImage(resolution, Duration.ZERO);
        long perDay = accounts.stream().mapToLong(account -> batchImagesPerTurnaround(account, model, resolution)).sum();
        boolean tokenBound = accounts.stream().anyMatch(account -> BatchQuota.declared(account, model).isPresent());
        return new CapacityPlan.BatchLane(true, "batches of up to " + batchLane.maxLines() + " lines, " + batchLane.maxOpenPerAccount()
                + " open per account" + (tokenBound ? " and within each account's enqueued-token limit" : "")
                + ", each done within the provider's " + batchLane.lanes().batchTarget().toHours() + " h target",
                accounts.size(), perDay, turnaround, Optional.of(now.plus(turnaround)),
                Optional.of(new Cost(usd(provider), usd(awsCost), usd(provider.add(awsCost)))));
    }

    /**
     * The images one account holds in batches at once: its open batches × lines per batch, and no more than its
     * declared enqueued-token limit takes of these images' output tokens.
     */
    private long batchImagesPerTurnaround(Account account, String model, Resolution resolution) {
        long byCount = (long) BatchQuota.maxOpen(account, batchLane) * batchLane.maxLines();
        long perImage = Math.max(1, batchSupport.enqueuedTokensPerImage(model, resolution));
        return BatchQuota.declared(account, model).map(limit -> Math.min(byCount, limit / perImage)).orElse(byCount);
    }

    /** The seed's latency for a resolution: the middle of its typical range (4K: 130 s). */
    public static Duration seedLatency(Resolution resolution) {
        return resolution.fastestTypicalLatency().plus(resolution.slowestTypicalLatency()).dividedBy(2);
    }

    private record Measured(Duration latency, LatencySource source) {
    }

    private Measured latencyOf(String model, Resolution resolution) {
        List<Duration> samples = latencies.recentSuccesses(model, resolution, LATENCY_SAMPLES).stream().sorted().toList();
        if (samples.size() < MIN_LATENCY_SAMPLES) {
            return new Measured(seedLatency(resolution), LatencySource.SEED);
        }
        int middle = samples.size() / 2;
        Duration median = samples.size() % 2 == 1 ? samples.get(middle) : samples.get(middle - 1).plus(samples.get(middle)).dividedBy(2);
        return new Measured(median, LatencySource.MEASURED);
    }

    private static Ceiling ceiling(List<AccountUsage> serving, double seconds) {
        double perMinute = 0;
        long perDay = 0;
        long requestsPerMinute = 0;
        long requestsPerDay = 0;
        for (AccountUsage u : serving) {
            ModelLimits l = u.effectiveLimits();
            double minute = minuteLimit(l, seconds);
            // A limit nobody declared or stated does not bound the ceiling: the ones that are known do.
            long requestsMinute = l.rpm().or(l::ipm).orElse(0);
            long rpd = l.rpd().map(Integer::longValue).orElse(requestsMinute * MINUTES_PER_DAY);
            perMinute += Math.min(minute, rpd / (double) MINUTES_PER_DAY);
            perDay += (long) Math.min(rpd, Math.floor(minute * MINUTES_PER_DAY));
            requestsPerMinute += requestsMinute;
            requestsPerDay += rpd;
        }
        return new Ceiling(perMinute, perDay, requestsPerMinute, requestsPerDay);
    }

    /** The most one account does in any one minute: rpm, ipm, and its calls in flight at the latency. */
    private static double minuteLimit(ModelLimits l, double seconds) {
        double minute = Math.min(l.rpm().or(l::ipm).orElse(0), l.ipm().or(l::rpm).orElse(0));
        return l.maxConcurrent().map(c -> Math.min(minute, c * 60 / seconds)).orElse(minute);
    }

    private static double perMinuteLimit(List<AccountUsage> serving, double seconds) {
        return serving.stream().mapToDouble(u -> minuteLimit(u.effectiveLimits(), seconds)).sum();
    }

    /**
     * At {@code pace} requests a minute from now, when the requests left in the provider day run out; if they last
     * until the day turns, whether a whole fresh day at that pace runs out. The accounts of one model belong to one
     * provider, so their days turn together; the earliest turn is taken.
     */
    private Optional<Instant> runsOutAt(List<AccountUsage> serving, double pace, Instant now) {
        if (serving.isEmpty() || pace <= 0) {
            return Optional.empty();
        }
        if (serving.stream().anyMatch(u -> u.effectiveLimits().rpd().isEmpty())) {
            return Optional.empty(); // an account whose day nothing limits does not run out
        }
        long leftToday = 0;
        long perDay = 0;
        for (AccountUsage u : serving) {
            int rpd = u.effectiveLimits().rpd().orElseThrow();
            leftToday += Math.max(0, rpd - u.usage().requestsToday());
            perDay += rpd;
        }
        Instant dayTurns = serving.stream().map(u -> u.usage().dayResetsAt()).min(Comparator.naturalOrder()).orElseThrow();
        Instant exhausted = now.plus(minutes(leftToday / pace));
        if (exhausted.isBefore(dayTurns)) {
            return Optional.of(exhausted);
        }
        ZoneId zone = pool.find(serving.get(0).account()).map(Account::dayResetZone).orElse(Account.GEMINI_DAY_ZONE);
        Instant nextTurn = QuotaWindows.nextProviderDay(dayTurns, zone);
        Instant tomorrowExhausted = dayTurns.plus(minutes(perDay / pace));
        return tomorrowExhausted.isBefore(nextTurn) ? Optional.of(tomorrowExhausted) : Optional.empty();
    }

    private static Duration minutes(double minutes) {
        return Duration.ofMillis(Math.round(minutes * 60_000));
    }

    private static BigDecimal usd(BigDecimal amount) {
        return amount.setScale(6, RoundingMode.HALF_UP);
    }

    private static String fmt(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
