package dev.pacer.aws.quota;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.Learning;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaLearning;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Replacement;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;
import dev.pacer.core.quota.WindowState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads, each standing for a worker on its own Lambda instance, reserve against the same accounts in moto's
 * DynamoDB. The clock moves 400 ms per reservation asked for (whichever thread asks), so a run covers several
 * rolling minutes in a few seconds however slow the machine is; the grant times recorded are then checked against
 * every limit in every 60 s window.
 */
class DynamoDbQuotaLedgerRaceTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static final String MODEL = "gemini-3.1-flash-image";
    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    private static final int THREADS = 16;
    private static final int CALLS = 800;
    private static final Duration STEP = Duration.ofMillis(400);

    @Test
    void racingWorkersNeverExceedAnyLimitInAnyRollingMinuteAndAFullAccountNeverGrants() throws Exception {
        Instant start = Instant.parse("2026-06-01T17:00:00Z");
        SteppedClock clock = new SteppedClock(start);
        Account a = account("project-a", ModelLimits.of(12, 18, 10_000));
        Account b = account("project-b", ModelLimits.of(8, 10, 30)); // its day runs out well before the run ends (8 RPM: ~4 of its 5 minutes)
        Account full = account("project-full", ModelLimits.of(100, 100, 50));
        DynamoDbQuotaStateStore store = new DynamoDbQuotaStateStore(moto.clients().dynamoDb(), moto.resources().physicalId("QuotaTable"));
        assertInstanceOf(Replacement.Replaced.class, store.replace(full.id(), MODEL, 0,
                new WindowState(0, List.of(), QuotaWindows.providerDay(start, LA), 50, Optional.empty(), Learning.NONE), start.plus(Duration.ofDays(2))));
        // one ledger per thread, as one per Lambda instance: each decides on the states it saw last
        List<PooledQuotaLedger> ledgers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            ledgers.add(new PooledQuotaLedger(new AccountPool(List.of(a, b, full)), store, new QuotaWindows(Duration.ZERO), clock, new Random()));
        }

        List<Reservation> grants = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (PooledQuotaLedger ledger : ledgers) {
            workers.add(pool.submit(() -> {
                while (calls.incrementAndGet() <= CALLS) {
                    clock.step(STEP);
                    int images = ThreadLocalRandom.current().nextInt(1, 4);
                    // Gemini-like (a request per image) and OpenAI-like (one request for n images) demands, mixed.
                    Demand demand = ThreadLocalRandom.current().nextBoolean() ? new Demand(images, images, 0) : new Demand(1, images, 0);
                    ReservationOutcome outcome = ledger.reserve(MODEL, demand, Duration.ofMinutes(1));
                    if (outcome instanceof ReservationOutcome.Granted granted) {
                        grants.add(granted.reservation());
                    } else {
                        refusals.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();

        Map<String, List<Reservation>> byAccount = grants.stream().collect(Collectors.groupingBy(r -> r.account().id()));
        System.out.printf("race: %d reserve calls by %d threads over %s (simulated), %d granted (%s), %d no-headroom answers, %d CAS conflicts%n",
                CALLS, THREADS, Duration.between(start, clock.instant()), grants.size(),
                byAccount.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).sorted().collect(Collectors.joining(", ")),
                refusals.get(), ledgers.stream().mapToLong(PooledQuotaLedger::conflicts).sum());

        assertTrue(grants.size() >= 60, "many of the " + CALLS + " were granted: " + grants.size());
        assertEquals(List.of(), byAccount.getOrDefault(full.id(), List.of()), "the account whose day was used up granted nothing");
        assertEquals(b.limits(MODEL).orElseThrow().rpd().orElseThrow(),
                byAccount.get(b.id()).stream().mapToInt(r -> r.demand().requests()).sum(), "project-b spent its whole day, no more");
        for (Account account : List.of(a, b)) {
            List<Reservation> granted = byAccount.get(account.id());
            ModelLimits limits = account.limits(MODEL).orElseThrow();
            assertWithinEveryRollingMinute(account.id() + " requests", granted, r -> r.demand().requests(), limits.rpm().orElseThrow());
            assertWithinEveryRollingMinute(account.id() + " images", granted, r -> r.demand().images(), limits.ipm().orElseThrow());
        }
    }

    /**
     * What was learned holds for every worker at once: a learned rate of 9 rpm (a 429 met at 13, spread evenly), then
     * sixteen workers' 429s racing in at once, each for a call sent before pacer reacted. The decrease happens once, and
     * no rolling window ever holds more than the learned rate applied when its last grant was made, nor two grants
     * closer than the even spacing. Rates stay put between 429s (a step interval of a day), so the limit to check
     * against is known.
     */
    @Test
    void racingWorkersKeepTheLearnedRateInEveryRollingMinuteAndLowerItOnceForRacing429s() throws Exception {
        Instant start = Instant.parse("2026-06-01T17:00:00Z");
        SteppedClock clock = new SteppedClock(start);
        Account account = account("project-learned", ModelLimits.of(20, 20, 10_000));
        DynamoDbQuotaStateStore store = new DynamoDbQuotaStateStore(moto.clients().dynamoDb(), moto.resources().physicalId("QuotaTable"));
        Learning learned = Learning.NONE.withRate(Dimension.RPM, Optional.of(new Learning.LearnedRate(9, Optional.of(13),
                start.minusSeconds(30), false, "unpredicted 429 at 13 rpm spread evenly"))).afterUnpredicted429(
                new Learning.Unpredicted(start.minusSeconds(30), "429"));
        assertInstanceOf(Replacement.Replaced.class, store.replace(account.id(), MODEL, 0,
                new WindowState(0, List.of(), QuotaWindows.providerDay(start, LA), 0, Optional.empty(), learned), start.plus(Duration.ofDays(2))));
        QuotaWindows windows = new QuotaWindows(Duration.ofSeconds(1));
        QuotaLearning rules = QuotaLearning.standard(windows).withStepInterval(Duration.ofDays(1));
        List<PooledQuotaLedger> ledgers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            ledgers.add(new PooledQuotaLedger(new AccountPool(List.of(account)), store, windows, rules, clock, new Random()));
        }

        List<Reservation> before = race(ledgers, clock, 300);
        clock.step(STEP); // the 429s arrive after every call they answer was sent
        Instant reacted = clock.instant();
        List<Reservation> answered = before.subList(before.size() - THREADS / 2, before.size());
        ExecutorService coolers = Executors.newFixedThreadPool(THREADS);
        List<Future<Instant>> cooled = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            PooledQuotaLedger ledger = ledgers.get(t);
            Reservation refused = answered.get(t % answered.size());
            cooled.add(coolers.submit(() -> ledger.coolDown(refused, new RateLimit(Optional.of(Duration.ZERO), false, "429",
                    java.util.Set.of(Dimension.RPM), dev.pacer.core.quota.StatedLimits.NONE))));
        }
        for (Future<Instant> f : cooled) {
            f.get();
        }
        coolers.shutdown();
        List<Reservation> after = race(ledgers, clock, 300);

        Learning.LearnedRate rate = store.load(account.id(), MODEL).orElseThrow().learning().rate(Dimension.RPM).orElseThrow();
        System.out.printf("learned race: %d grants at 9 rpm, %d × 429 racing in, then %d grants at %d rpm (%s); %d CAS conflicts%n",
                before.size(), THREADS, after.size(), rate.rate(), rate.why(), ledgers.stream().mapToLong(PooledQuotaLedger::conflicts).sum());
        // Lowered once: from what the window held when one of the answered calls went out (or now, whichever held more),
        // × 0.8. A second decrease would start from the first one's lower rate, which no window held.
        int heldNow = held(before, reacted, windows.rollingWindow());
        java.util.Set<Integer> held = answered.stream()
                .map(g -> Math.max(held(before, g.grantedAt(), windows.rollingWindow()), heldNow)).collect(Collectors.toSet());
        assertTrue(held.contains(rate.heldBelow().orElseThrow()), "held below " + rate.heldBelow() + ", windows held " + held);
        assertEquals((int) Math.floor(rate.heldBelow().orElseThrow() * 0.8), rate.rate());
        assertEquals(reacted, rate.since());
        assertTrue(before.size() >= 12 && after.size() >= 3, before.size() + " / " + after.size());
        List<Reservation> all = new ArrayList<>(before);
        all.addAll(after);
        assertWithinEveryRollingMinute("requests at 9 rpm", before, r -> r.demand().requests(), 9);
        assertWithinEveryRollingMinute("requests at the lowered rate", after, all, r -> r.demand().requests(), rate.rate());
        assertSpacedAtLeast(before, windows.rollingWindow().dividedBy(9));
        assertSpacedAtLeast(after, windows.rollingWindow().dividedBy(rate.rate()));
    }

    /** How many grants the window ending at {@code end} held. */
    private static int held(List<Reservation> grants, Instant end, Duration window) {
        return (int) grants.stream().filter(r -> !r.grantedAt().isAfter(end) && r.grantedAt().isAfter(end.minus(window))).count();
    }

    private static List<Reservation> race(List<PooledQuotaLedger> ledgers, SteppedClock clock, int calls) throws Exception {
        List<Reservation> grants = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger asked = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(ledgers.size());
        List<Future<?>> workers = new ArrayList<>();
        for (PooledQuotaLedger ledger : ledgers) {
            workers.add(pool.submit(() -> {
                while (asked.incrementAndGet() <= calls) {
                    clock.step(STEP);
                    if (ledger.reserve(MODEL, new Demand(1, 1, 0), Duration.ofMinutes(1)) instanceof ReservationOutcome.Granted granted) {
                        grants.add(granted.reservation());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return grants.stream().sorted((x, y) -> x.grantedAt().compareTo(y.grantedAt())).toList();
    }

    private static void assertSpacedAtLeast(List<Reservation> grants, Duration gap) {
        for (int i = 1; i < grants.size(); i++) {
            Duration between = Duration.between(grants.get(i - 1).grantedAt(), grants.get(i).grantedAt());
            assertTrue(between.compareTo(gap) >= 0, "grants " + between + " apart, spread evenly means at least " + gap);
        }
    }

    /** For each grant of {@code checked}, the sum over the window ending at it of every grant in {@code all}. */
    private static void assertWithinEveryRollingMinute(String what, List<Reservation> checked, List<Reservation> all,
            ToIntFunction<Reservation> size, int limit) {
        int worst = 0;
        for (Reservation end : checked) {
            int sum = all.stream().filter(r -> !r.grantedAt().isAfter(end.grantedAt())
                    && r.grantedAt().isAfter(end.grantedAt().minus(QuotaWindows.MINUTE))).mapToInt(size).sum();
            worst = Math.max(worst, sum);
            assertTrue(sum <= limit, what + ": " + sum + " in the 60 s ending " + end.grantedAt() + ", limit " + limit);
        }
        System.out.printf("race: %s: busiest rolling minute %d of %d%n", what, worst, limit);
    }

    /** For every grant, the sum over the 60 s window ending at it (the worst windows end at a grant). */
    private static void assertWithinEveryRollingMinute(String what, List<Reservation> granted, ToIntFunction<Reservation> size, int limit) {
        List<Reservation> sorted = granted.stream().sorted((x, y) -> x.grantedAt().compareTo(y.grantedAt())).toList();
        int worst = 0;
        for (int j = 0; j < sorted.size(); j++) {
            Instant windowEnd = sorted.get(j).grantedAt();
            int sum = 0;
            for (int i = 0; i <= j; i++) {
                if (sorted.get(i).grantedAt().isAfter(windowEnd.minus(QuotaWindows.MINUTE))) {
                    sum += size.applyAsInt(sorted.get(i));
                }
            }
            // grants with the very same instant as the window end are already in the sum (i <= j covers ties below j)
            for (int i = j + 1; i < sorted.size() && sorted.get(i).grantedAt().equals(windowEnd); i++) {
                sum += size.applyAsInt(sorted.get(i));
            }
            worst = Math.max(worst, sum);
            assertTrue(sum <= limit, what + ": " + sum + " in the 60 s ending " + windowEnd + ", limit " + limit);
        }
        System.out.printf("race: %s: busiest rolling minute %d of %d%n", what, worst, limit);
    }

    private static Account account(String id, ModelLimits limits) {
        return new Account(id, "gemini", URI.create("http://localhost"), "none", Map.of(MODEL, limits), 0.0, LA, Optional.empty());
    }

    /** Time that moves only when told to, by any thread. */
    private static final class SteppedClock extends Clock {
        private final AtomicLong millis;

        SteppedClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        void step(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
