package dev.pacer.core.quota;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PooledQuotaLedgerTest {

    private static final String MODEL = "gemini-3.1-flash-image";
    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    private static final Instant T0 = Instant.parse("2026-06-01T17:00:00Z");
    private static final Duration HOLD = Duration.ofMinutes(13);

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void spreadsLoadAcrossAccountsServingTheModel() {
        PooledQuotaLedger ledger = ledger(account("a", 10), account("b", 10));

        Map<String, Long> perAccount = new java.util.HashMap<>();
        for (int i = 0; i < 20; i++) {
            Reservation r = granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
            perAccount.merge(r.account().id(), 1L, Long::sum);
        }

        assertEquals(Map.of("a", 10L, "b", 10L), perAccount);
        assertInstanceOf(ReservationOutcome.NoHeadroom.class, ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
    }

    @Test
    void noHeadroomAnswersTheEarliestTimeAnyAccountOpens() {
        PooledQuotaLedger ledger = ledger(account("a", 1), account("b", 1));
        granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        clock.advance(Duration.ofSeconds(20));
        granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        clock.advance(Duration.ofSeconds(5));

        ReservationOutcome full = ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD);

        assertEquals(T0.plusSeconds(60), assertInstanceOf(ReservationOutcome.NoHeadroom.class, full).retryAt());
        clock.set(T0.plusSeconds(60));
        granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
    }

    @Test
    void aModelNoAccountServesOrADemandBeyondEveryLimitIsUnservable() {
        PooledQuotaLedger ledger = ledger(account("a", 2));
        assertInstanceOf(ReservationOutcome.Unservable.class, ledger.reserve("gpt-image-1.5", new Demand(1, 1, 0), HOLD));
        assertInstanceOf(ReservationOutcome.Unservable.class, ledger.reserve(MODEL, new Demand(3, 3, 0), HOLD));
    }

    @Test
    void aPerDay429CoolsTheAccountDownUntilTheProviderDayTurnsWhateverItsRetryDelaySays() {
        PooledQuotaLedger ledger = ledger(account("a", 10));
        Reservation r = granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));

        Instant until = ledger.coolDown(r, new RateLimit(Optional.of(Duration.ofSeconds(23)), true, "GenerateRequestsPerDayPerProjectPerModel"));

        assertEquals(Instant.parse("2026-06-02T07:00:00Z"), until, "midnight in Los Angeles (PDT)");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(until, assertInstanceOf(ReservationOutcome.NoHeadroom.class,
                ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD)).retryAt());
        AccountUsage usage = ledger.usage().get(0);
        assertEquals(until, usage.usage().cooldown().orElseThrow().until());
    }

    @Test
    void aPerMinute429CoolsTheAccountDownForTheProvidersDelayOnly() {
        PooledQuotaLedger ledger = ledger(account("a", 10), account("b", 10));
        Reservation r = granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));

        Instant until = ledger.coolDown(r, new RateLimit(Optional.of(Duration.ofSeconds(23)), false, "per minute"));

        assertEquals(T0.plusSeconds(23), until);
        for (int i = 0; i < 5; i++) {
            Reservation next = granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
            assertTrue(!next.account().id().equals(r.account().id()), "the cooling account is skipped");
        }
    }

    @Test
    void callsInFlightCountAgainstMaxConcurrentUntilReleased() {
        Account limited = new Account("a", "gemini", URI.create("http://localhost"), "none",
                Map.of(MODEL, new ModelLimits(100, 100, 1000, Optional.empty(), Optional.of(2))), 0, LA, Optional.empty());
        PooledQuotaLedger ledger = ledger(limited);
        Reservation first = granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        assertInstanceOf(ReservationOutcome.NoHeadroom.class, ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));

        ledger.release(first);

        granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
    }

    @Test
    void maxConcurrentCountsCallsNotJobsSoAFourImageGeminiJobFillsALimitOfTwoAlone() {
        Account limited = new Account("a", "gemini", URI.create("http://localhost"), "none",
                Map.of(MODEL, new ModelLimits(100, 100, 1000, Optional.empty(), Optional.of(2))), 0, LA, Optional.empty());
        PooledQuotaLedger ledger = ledger(limited);
        // Gemini makes one call per image: four images are four calls side by side
        Reservation fourCalls = granted(ledger.reserve(MODEL, new Demand(4, 4, 0), HOLD));

        assertInstanceOf(ReservationOutcome.NoHeadroom.class, ledger.reserve(MODEL, new Demand(4, 4, 0), HOLD),
                "a second such job would put 8 calls in flight on a limit of 2");
        assertInstanceOf(ReservationOutcome.NoHeadroom.class, ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        assertEquals(4, ledger.usage().get(0).usage().inFlight(), "GET /v1/quota counts the calls in flight");

        ledger.release(fourCalls);

        granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        assertInstanceOf(ReservationOutcome.NoHeadroom.class, ledger.reserve(MODEL, new Demand(2, 2, 0), HOLD),
                "one call in flight and two more exceed two");
    }

    @Test
    void concurrentReservationsNeverGrantPastTheLimit() throws Exception {
        PooledQuotaLedger ledger = ledger(account("a", 7), account("b", 5));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<ReservationOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            outcomes.add(pool.submit(() -> ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD)));
        }
        List<Reservation> granted = Collections.synchronizedList(new ArrayList<>());
        for (Future<ReservationOutcome> f : outcomes) {
            if (f.get() instanceof ReservationOutcome.Granted g) {
                granted.add(g.reservation());
            }
        }
        pool.shutdown();
        assertEquals(Map.of("a", 7L, "b", 5L),
                granted.stream().collect(Collectors.groupingBy(r -> r.account().id(), Collectors.counting())));
    }

    @Test
    void aReservationIsOneWriteAndNoReadWhenNobodyElseWroteSince() {
        CountingStore store = new CountingStore();
        PooledQuotaLedger ledger = ledger(store, account("a", 10));

        for (int i = 0; i < 5; i++) {
            granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        }

        assertEquals(0, store.loads, "no read: the first write assumed nothing stored, the rest built on their own");
        assertEquals(5, store.replaces);
    }

    @Test
    void anotherWorkersWritesAreLearntFromTheLostWriteAndNeverGrantPastTheLimit() {
        CountingStore store = new CountingStore();
        Account a = account("a", 3);
        PooledQuotaLedger one = ledger(store, a);
        PooledQuotaLedger other = ledger(store, a); // another Lambda instance, with its own last-seen states

        granted(one.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        granted(other.reserve(MODEL, new Demand(1, 1, 0), HOLD)); // lost its first write, retried on what won
        granted(one.reserve(MODEL, new Demand(1, 1, 0), HOLD));   // its state was stale: same again

        assertEquals(2, one.conflicts() + other.conflicts());
        assertEquals(0, store.loads, "the conflicts carried the current state");
        assertInstanceOf(ReservationOutcome.NoHeadroom.class, other.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        assertEquals(3, store.load(a.id(), MODEL).orElseThrow().grants().size());
    }

    @Test
    void anAccountFullOnlyInAStaleStateIsReadAgainBeforeAJobIsToldToWait() {
        Account limited = new Account("a", "gemini", URI.create("http://localhost"), "none",
                Map.of(MODEL, new ModelLimits(100, 100, 1000, Optional.empty(), Optional.of(1))), 0, LA, Optional.empty());
        CountingStore store = new CountingStore();
        PooledQuotaLedger one = ledger(store, limited);
        PooledQuotaLedger other = ledger(store, limited);
        Reservation running = granted(other.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        assertInstanceOf(ReservationOutcome.NoHeadroom.class, one.reserve(MODEL, new Demand(1, 1, 0), HOLD));

        other.release(running); // elsewhere: `one` still sees the call in flight

        granted(one.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        assertEquals(1, store.loads, "one read, to check the full verdict");
    }

    @Test
    void aStateExpiredAndCreatedAgainIsNeverOverwrittenByAWorkerRememberingTheOldOne() {
        CountingStore store = new CountingStore();
        Account a = account("a", 2);
        PooledQuotaLedger one = ledger(store, a);
        PooledQuotaLedger other = ledger(store, a);
        granted(one.reserve(MODEL, new Demand(1, 1, 0), HOLD));
        store.forget(); // TTL dropped the item (an idle day later, say)
        Reservation others = granted(other.reserve(MODEL, new Demand(1, 1, 0), HOLD));

        granted(one.reserve(MODEL, new Demand(1, 1, 0), HOLD));

        List<String> stored = store.load(a.id(), MODEL).orElseThrow().grants().stream().map(Grant::id).toList();
        assertTrue(stored.contains(others.id()), "the other worker's grant survived: " + stored);
    }

    @Test
    void aGrantWhoseWriteOutlastedTheGuardIsGivenBackAndTheCallStampedWhenItReallyGoesOut() {
        Account a = account("a", 2);
        InMemoryQuotaStateStore states = new InMemoryQuotaStateStore();
        QuotaStateStore stalling = new QuotaStateStore() {
            private boolean stalled;

            @Override
            public Optional<WindowState> load(String account, String model) {
                return states.load(account, model);
            }

            @Override
            public Replacement replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt) {
                Replacement replaced = states.replace(account, model, expectedVersion, next, expiresAt);
                if (!stalled) {
                    stalled = true;
                    clock.advance(Duration.ofSeconds(3)); // the first write answers 3 s late, past the 1 s guard
                }
                return replaced;
            }
        };
        PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(List.of(a)), stalling, new QuotaWindows(Duration.ofSeconds(1)),
                clock, new Random(42));

        Reservation reservation = granted(ledger.reserve(MODEL, new Demand(1, 1, 0), HOLD));

        WindowState stored = states.load(a.id(), MODEL).orElseThrow();
        assertEquals(List.of(reservation.id()), stored.grants().stream().map(Grant::id).toList(), "the stale grant was given back");
        assertEquals(T0.plusSeconds(3), stored.grants().get(0).at(), "counted from when the call goes out");
        assertEquals(1, stored.dayRequests());
    }

    private PooledQuotaLedger ledger(Account... accounts) {
        return ledger(new InMemoryQuotaStateStore(), accounts);
    }

    private PooledQuotaLedger ledger(QuotaStateStore store, Account... accounts) {
        return new PooledQuotaLedger(new AccountPool(List.of(accounts)), store, new QuotaWindows(Duration.ZERO), clock, new Random(42));
    }

    /** The in-memory store, counting what the ledger asks of it. */
    private static final class CountingStore implements QuotaStateStore {
        private InMemoryQuotaStateStore states = new InMemoryQuotaStateStore();
        private int loads;
        private int replaces;

        void forget() {
            states = new InMemoryQuotaStateStore();
        }

        @Override
        public Optional<WindowState> load(String account, String model) {
            loads++;
            return states.load(account, model);
        }

        @Override
        public Replacement replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt) {
            replaces++;
            return states.replace(account, model, expectedVersion, next, expiresAt);
        }
    }

    private static Account account(String id, int rpm) {
        return new Account(id, "gemini", URI.create("http://localhost"), "none", Map.of(MODEL, ModelLimits.of(rpm, rpm, 1000)),
                0.0, LA, Optional.empty());
    }

    private static Reservation granted(ReservationOutcome outcome) {
        return assertInstanceOf(ReservationOutcome.Granted.class, outcome).reservation();
    }
}
