package dev.pacer.core.quota;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learning math, through the ledger on the in-memory store with a clock moved by hand: the multiplicative
 * decrease, the additive increase, the ceiling, the cautious start, and stated limits winning over guesses. The
 * window is 60 s + a 1 s guard, so a step comes every 15.25 s.
 */
class QuotaLearningTest {

    private static final String MODEL = "gemini-3.1-flash-image";
    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    private static final Instant T0 = Instant.parse("2026-06-01T17:00:00Z");
    private static final Duration HOLD = Duration.ofMinutes(13);
    private static final Duration STEP = Duration.ofMillis(15_250);
    private static final Demand ONE = new Demand(1, 1, 0);
    private static final RateLimit PER_MINUTE_429 = new RateLimit(Optional.of(Duration.ofSeconds(5)), false,
            "RESOURCE_EXHAUSTED", Set.of(Dimension.RPM), StatedLimits.NONE);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryQuotaStateStore store = new InMemoryQuotaStateStore();

    @Test
    void anUnpredicted429InABurstLowersTheRateToEightyPercentOfWhatWasAppliedAndSpreadsTheSends() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(20, 20, 1000)));
        List<Reservation> burst = reserve(ledger, 6);

        ledger.coolDown(burst.get(5), PER_MINUTE_429);

        AccountUsage usage = ledger.usage().get(0);
        assertEquals(Optional.of(16), usage.effectiveLimits().rpm(), "20 × 0.8");
        assertEquals(Optional.of(20), usage.effectiveLimits().ipm(), "the 429 named requests only");
        assertTrue(usage.applied().spread());
        assertEquals(Optional.empty(), usage.learning().rate(Dimension.RPM).orElseThrow().heldBelow(),
                "in a burst pacer does not know the pace the provider refused: nothing to hold below");
        assertEquals(T0, usage.learning().last429().orElseThrow().at());
    }

    @Test
    void spreadSendsWaitTheWindowOverTheRateBetweenGrants() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(20, 20, 1000)));
        ledger.coolDown(reserve(ledger, 1).get(0), new RateLimit(Optional.of(Duration.ZERO), false, "429"));
        clock.advance(Duration.ofSeconds(5));

        Reservation first = granted(ledger.reserve(MODEL, ONE, HOLD));
        ReservationOutcome tooSoon = ledger.reserve(MODEL, ONE, HOLD);

        Instant next = first.grantedAt().plus(Duration.ofMillis(61_000 / 16 + 1));
        assertEquals(next.toEpochMilli(), assertInstanceOf(ReservationOutcome.NoHeadroom.class, tooSoon).retryAt().toEpochMilli(), 1,
                "one every 61 s / 16");
        clock.set(next);
        granted(ledger.reserve(MODEL, ONE, HOLD));
    }

    @Test
    void anUnpredicted429WhileSpreadingHoldsBelowThePaceItMet() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(20, 20, 1000)));
        ledger.coolDown(reserve(ledger, 1).get(0), new RateLimit(Optional.of(Duration.ZERO), false, "429")); // spread from now on
        clock.advance(Duration.ofSeconds(62));
        Reservation last = null;
        for (int i = 0; i < 10; i++) { // ten, evenly: another app takes the rest
            last = granted(ledger.reserve(MODEL, ONE, HOLD));
            clock.advance(Duration.ofSeconds(6));
        }

        ledger.coolDown(last, PER_MINUTE_429);

        Learning.LearnedRate rpm = ledger.usage().get(0).learning().rate(Dimension.RPM).orElseThrow();
        assertEquals(8, rpm.rate(), "the 10 the provider refused × 0.8");
        assertEquals(Optional.of(10), rpm.heldBelow());
    }

    @Test
    void whileALearnedRateHoldsPacerBackItRisesOneStepEveryQuarterWindowNeverAboveTheDeclaration() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(20, 20, 1000)));
        ledger.coolDown(reserve(ledger, 6).get(5), new RateLimit(Optional.of(Duration.ZERO), false, "429", Set.of(Dimension.RPM),
                StatedLimits.NONE));
        List<Integer> rates = new ArrayList<>();
        Instant end = T0.plus(Duration.ofMinutes(6));
        while (clock.instant().isBefore(end)) { // steady overload: a job whenever the ledger says a window opens
            ReservationOutcome outcome = ledger.reserve(MODEL, ONE, HOLD);
            outcome.opensAt().ifPresent(clock::set);
            int rate = ledger.usage().get(0).effectiveLimits().rpm().orElseThrow();
            if (rates.isEmpty() || rates.get(rates.size() - 1) != rate) {
                rates.add(rate);
            }
        }

        assertEquals(List.of(16, 17, 18, 19, 20), rates, "+1 (a twentieth of 20) a step, up to the ceiling");
        Learning.LearnedRate rpm = ledger.usage().get(0).learning().rate(Dimension.RPM).orElseThrow();
        assertTrue(!rpm.since().isBefore(T0.plus(STEP.multipliedBy(4))), "one step per 15.25 s at most: " + rpm.since());
        assertFalse(ledger.usage().get(0).applied().learned().contains(Dimension.RPM), "back at the declaration");
    }

    @Test
    void aRateLoweredAtAnEvenPaceDoesNotRiseWithoutEvidenceThatPacerSendsAtIt() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(20, 20, 1000)));
        ledger.coolDown(reserve(ledger, 1).get(0), new RateLimit(Optional.of(Duration.ZERO), false, "429")); // spread from now on
        clock.advance(Duration.ofSeconds(62));
        Reservation last = null;
        for (int i = 0; i < 10; i++) {
            last = granted(ledger.reserve(MODEL, ONE, HOLD));
            clock.advance(Duration.ofSeconds(6));
        }
        ledger.coolDown(last, PER_MINUTE_429); // 10 × 0.8 = 8, held below 10
        clock.advance(Duration.ofMinutes(5)); // idle

        for (int i = 0; i < 3; i++) {
            ledger.reserve(MODEL, ONE, HOLD).opensAt().ifPresent(clock::set);
        }

        assertEquals(Optional.of(8), ledger.usage().get(0).effectiveLimits().rpm(), "a gap after idling is no reason to rise");
    }

    @Test
    void aRateABurstsLimitLoweredClimbsBackAsSoonAsDemandPressesOnItsSpacing() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(20, 20, 1000)));
        ledger.coolDown(reserve(ledger, 6).get(5), new RateLimit(Optional.of(Duration.ZERO), false, "429", Set.of(Dimension.RPM),
                StatedLimits.NONE));
        clock.advance(STEP.plusSeconds(1)); // six in the window: far from full at 16

        Reservation first = granted(ledger.reserve(MODEL, ONE, HOLD));
        Instant retry = ledger.reserve(MODEL, ONE, HOLD).opensAt().orElseThrow(); // held back by the spacing alone
        clock.set(retry);
        granted(ledger.reserve(MODEL, ONE, HOLD)); // the raise goes out with the grant it lets through

        assertEquals(first.grantedAt().plusMillis(61_000 / 17 + 1).toEpochMilli(), retry.toEpochMilli(), 1, "spaced at 17 a minute");
        assertEquals(Optional.of(17), ledger.usage().get(0).effectiveLimits().rpm(),
                "the burst, not the rate, was refused: back toward 20 without waiting for a full window");
    }

    @Test
    void itClimbsBackToOneStepBelowWhereItMetA429AndHoldsThereUntilTenWindowsPass() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(20, 20, 1000)));
        ledger.coolDown(reserve(ledger, 1).get(0), new RateLimit(Optional.of(Duration.ZERO), false, "429"));
        clock.advance(Duration.ofSeconds(62));
        Reservation last = null;
        for (int i = 0; i < 12; i++) {
            last = granted(ledger.reserve(MODEL, ONE, HOLD));
            clock.advance(Duration.ofSeconds(5));
        }
        ledger.coolDown(last, new RateLimit(Optional.of(Duration.ZERO), false, "429", Set.of(Dimension.RPM), StatedLimits.NONE));
        assertEquals(9, rate(ledger), "12 × 0.8");

        Instant held = runOverloaded(ledger, Duration.ofMinutes(5));
        assertEquals(11, rate(ledger), "back to one below the 12 it met");
        assertEquals(held, runOverloaded(ledger, Duration.ofMinutes(4)), "and no further for a while");
        assertEquals(11, rate(ledger));

        runOverloaded(ledger, Duration.ofMinutes(6));
        Learning.LearnedRate probing = ledger.usage().get(0).learning().rate(Dimension.RPM).orElseThrow();
        assertEquals(12, probing.rate(), "ten windows without a 429: one step above");
        assertEquals(Optional.of(13), probing.heldBelow());
    }

    @Test
    void nothingDeclaredStartsAtFiveAndDoublesWhileThatHoldsPacerBack() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.NONE));
        assertEquals(Optional.of(5), ledger.usage().get(0).effectiveLimits().rpm(), "a cautious start");

        List<Integer> rates = new ArrayList<>();
        Instant end = T0.plus(Duration.ofMinutes(4));
        while (clock.instant().isBefore(end)) {
            ledger.reserve(MODEL, ONE, HOLD).opensAt().ifPresent(clock::set);
            int rate = rate(ledger);
            if (rates.isEmpty() || rates.get(rates.size() - 1) != rate) {
                rates.add(rate);
            }
        }

        assertEquals(List.of(5, 10, 20, 40), rates.subList(0, 4), "slow start: doubled each time it was full for a quarter window");
        assertTrue(ledger.usage().get(0).applied().spread(), "a guess is spread evenly");
    }

    @Test
    void aStatedLimitWinsOverAGuess() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.NONE));
        Reservation first = granted(ledger.reserve(MODEL, ONE, HOLD));

        ledger.release(first, new CallReport(Optional.empty(), StatedLimits.of(Dimension.RPM,
                new StatedLimit(60, Optional.of(59L), Optional.of(Duration.ofSeconds(1)), "x-ratelimit-limit-requests"))));

        AccountUsage usage = ledger.usage().get(0);
        assertEquals(Optional.of(60), usage.effectiveLimits().rpm(), "the provider's 60 over the cautious 5");
        assertEquals(Set.of(), usage.applied().learned(), "stated, not learned");
        assertEquals(60, usage.learning().stated(Dimension.RPM).orElseThrow().limit().limit());
    }

    @Test
    void aStatedLimitBelowTheDeclarationIsTheCeilingAndExplainsItsOwn429() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(24, 24, 1000)));
        List<Reservation> burst = reserve(ledger, 13);

        ledger.coolDown(burst.get(12), new RateLimit(Optional.of(Duration.ofSeconds(50)), false, "RESOURCE_EXHAUSTED",
                Set.of(Dimension.RPM), StatedLimits.of(Dimension.RPM, StatedLimit.of(12, "quotaValue"))));

        AccountUsage usage = ledger.usage().get(0);
        assertEquals(Optional.of(12), usage.effectiveLimits().rpm(), "the provider's 12, not 24 × 0.8");
        assertEquals(Optional.empty(), usage.learning().rate(Dimension.RPM), "nothing to learn beyond what it stated");
        assertTrue(usage.applied().spread());
    }

    @Test
    void theDeclarationStaysTheCeilingWhenTheProviderStatesMore() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(10, 10, 1000)));
        Reservation first = granted(ledger.reserve(MODEL, ONE, HOLD));

        ledger.release(first, new CallReport(Optional.empty(), StatedLimits.of(Dimension.RPM, StatedLimit.of(500, "x-ratelimit-limit-requests"))));

        assertEquals(Optional.of(10), ledger.usage().get(0).effectiveLimits().rpm(), "declared limits are a ceiling");
    }

    @Test
    void a429ToACallSentBeforePacerReactedToTheLastOneIsNotNews() {
        PooledQuotaLedger ledger = ledger(account(ModelLimits.of(20, 20, 1000)));
        List<Reservation> burst = reserve(ledger, 6);
        clock.advance(Duration.ofSeconds(1));
        ledger.coolDown(burst.get(4), PER_MINUTE_429);
        clock.advance(Duration.ofMillis(200));

        ledger.coolDown(burst.get(5), PER_MINUTE_429);

        assertEquals(16, rate(ledger), "lowered once, not 20 × 0.8 × 0.8");
    }

    @Test
    void whatWasLearnedHoldsForEveryWorkerAndSurvivesAColdStart() {
        Account account = account(ModelLimits.of(20, 20, 1000));
        PooledQuotaLedger one = ledger(account);
        one.coolDown(reserve(one, 6).get(5), PER_MINUTE_429);
        clock.advance(Duration.ofSeconds(62));

        PooledQuotaLedger coldStarted = ledger(account); // another instance, or this one after a cold start
        Reservation first = granted(coldStarted.reserve(MODEL, ONE, HOLD));

        assertInstanceOf(ReservationOutcome.NoHeadroom.class, one.reserve(MODEL, ONE, HOLD),
                "the other instance's grant and the learned spacing hold here too");
        assertEquals(Optional.of(16), coldStarted.usage().get(0).effectiveLimits().rpm());
        assertTrue(first.grantedAt().equals(clock.instant()));
    }

    @Test
    void tpmIsEnforcedFromEstimatesAndCorrectedByTheUsageTheProviderReports() {
        Account account = account(new ModelLimits(100, 100, 1000, Optional.of(5_000), Optional.empty()));
        PooledQuotaLedger ledger = ledger(account);
        Reservation first = granted(ledger.reserve(MODEL, new Demand(1, 1, 1_300), HOLD));
        Reservation second = granted(ledger.reserve(MODEL, new Demand(1, 1, 1_300), HOLD));
        granted(ledger.reserve(MODEL, new Demand(1, 1, 1_300), HOLD));
        assertInstanceOf(ReservationOutcome.NoHeadroom.class, ledger.reserve(MODEL, new Demand(1, 1, 1_300), HOLD),
                "3 × 1,300 + 1,300 > 5,000");

        ledger.release(first, new CallReport(Optional.of(302L), StatedLimits.NONE));
        ledger.release(second, new CallReport(Optional.of(302L), StatedLimits.NONE));

        assertEquals(1_904, ledger.usage().get(0).usage().tokensLastMinute(), "302 + 302 + 1,300");
        granted(ledger.reserve(MODEL, new Demand(1, 1, 1_300), HOLD));
    }

    @Test
    void aReleaseThatTellsNothingNewWritesNothing() {
        CountingStore counting = new CountingStore();
        PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(List.of(account(ModelLimits.of(20, 20, 1000)))), counting,
                new QuotaWindows(Duration.ofSeconds(1)), clock, new Random(3));
        Reservation reservation = granted(ledger.reserve(MODEL, ONE, HOLD));

        ledger.release(reservation, new CallReport(Optional.of(1_302L), StatedLimits.NONE)); // no TPM limit counts tokens

        assertEquals(1, counting.replaces, "the reservation's one write, nothing for the release");
    }

    @Test
    void aRaiseIsWrittenWithTheGrantThatUsesIt() {
        CountingStore counting = new CountingStore();
        PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(List.of(account(ModelLimits.NONE))), counting,
                new QuotaWindows(Duration.ofSeconds(1)), clock, new Random(3));
        for (int i = 0; i < 5; i++) { // the cautious five, evenly over the window
            clock.set(T0.plus(Duration.ofMillis(12_201).multipliedBy(i)));
            granted(ledger.reserve(MODEL, ONE, HOLD));
        }
        clock.advance(Duration.ofMillis(6_200)); // full, and the next would wait another 6 s at five a minute
        int writes = counting.replaces;

        Reservation raised = granted(ledger.reserve(MODEL, ONE, HOLD));

        assertEquals(writes + 1, counting.replaces, "one write: the grant and the doubled rate");
        assertEquals(10, counting.load("a", MODEL).orElseThrow().learning().rate(Dimension.RPM).orElseThrow().rate());
        assertTrue(raised.grantedAt().equals(clock.instant()));
    }

    @Test
    void aPerDay429WithNoRpdDeclaredKeepsTheDaysCountAsItsLimit() {
        PooledQuotaLedger ledger = ledger(account(new ModelLimits(Optional.of(100), Optional.of(100), Optional.empty(), Optional.empty(),
                Optional.empty())));
        List<Reservation> day = reserve(ledger, 8);

        Instant until = ledger.coolDown(day.get(7), new RateLimit(Optional.of(Duration.ofSeconds(20)), true,
                "GenerateRequestsPerDayPerProjectPerModel"));

        assertEquals(Instant.parse("2026-06-02T07:00:00Z"), until);
        clock.set(until.plusSeconds(1));
        reserve(ledger, 7);
        assertInstanceOf(ReservationOutcome.NoHeadroom.class, ledger.reserve(MODEL, ONE, HOLD), "seven a day, as the provider allowed");
    }

    @Test
    void withLearningOffA429OnlyCoolsTheAccountDown() {
        QuotaWindows windows = new QuotaWindows(Duration.ofSeconds(1));
        PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(List.of(account(ModelLimits.of(20, 20, 1000)))), store,
                windows, QuotaLearning.off(windows), clock, new Random(3));

        ledger.coolDown(reserve(ledger, 6).get(5), new RateLimit(Optional.of(Duration.ofSeconds(5)), false, "429",
                Set.of(Dimension.RPM), StatedLimits.of(Dimension.RPM, StatedLimit.of(10, "quotaValue"))));

        AccountUsage usage = ledger.usage().get(0);
        assertEquals(Optional.of(20), usage.effectiveLimits().rpm());
        assertFalse(usage.applied().spread());
    }

    /** Reserves whenever the ledger says a window opens, for {@code duration}; returns when the rate last changed. */
    private Instant runOverloaded(PooledQuotaLedger ledger, Duration duration) {
        Instant end = clock.instant().plus(duration);
        while (clock.instant().isBefore(end)) {
            ledger.reserve(MODEL, ONE, HOLD).opensAt().ifPresent(clock::set);
        }
        return ledger.usage().get(0).learning().rate(Dimension.RPM).orElseThrow().since();
    }

    private List<Reservation> reserve(PooledQuotaLedger ledger, int count) {
        List<Reservation> reservations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reservations.add(granted(ledger.reserve(MODEL, ONE, HOLD)));
        }
        return reservations;
    }

    private static int rate(PooledQuotaLedger ledger) {
        return ledger.usage().get(0).effectiveLimits().rpm().orElseThrow();
    }

    private PooledQuotaLedger ledger(Account account) {
        return new PooledQuotaLedger(new AccountPool(List.of(account)), store, new QuotaWindows(Duration.ofSeconds(1)), clock,
                new Random(42));
    }

    private static Account account(ModelLimits limits) {
        return new Account("a", "gemini", URI.create("http://localhost"), "none", Map.of(MODEL, limits), 0.0, LA, Optional.empty());
    }

    private static Reservation granted(ReservationOutcome outcome) {
        return assertInstanceOf(ReservationOutcome.Granted.class, outcome).reservation();
    }

    private static final class CountingStore implements QuotaStateStore {
        private final InMemoryQuotaStateStore states = new InMemoryQuotaStateStore();
        private int replaces;

        @Override
        public Optional<WindowState> load(String account, String model) {
            return states.load(account, model);
        }

        @Override
        public Replacement replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt) {
            replaces++;
            return states.replace(account, model, expectedVersion, next, expiresAt);
        }
    }
}
