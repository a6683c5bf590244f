package dev.pacer.aws.quota;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
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
                new WindowState(0, List.of(), QuotaWindows.providerDay(start, LA), 50, Optional.empty()), start.plus(Duration.ofDays(2))));
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
        assertEquals(b.limits(MODEL).orElseThrow().rpd(),
                byAccount.get(b.id()).stream().mapToInt(r -> r.demand().requests()).sum(), "project-b spent its whole day, no more");
        for (Account account : List.of(a, b)) {
            List<Reservation> granted = byAccount.get(account.id());
            ModelLimits limits = account.limits(MODEL).orElseThrow();
            assertWithinEveryRollingMinute(account.id() + " requests", granted, r -> r.demand().requests(), limits.rpm());
            assertWithinEveryRollingMinute(account.id() + " images", granted, r -> r.demand().images(), limits.ipm());
        }
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
