package dev.pacer.core.quota;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaWindowsTest {

    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    private static final QuotaWindows NO_GUARD = new QuotaWindows(Duration.ZERO);
    private static final String MODEL = "gemini-3.1-flash-image";

    @Test
    void aFullMinuteStaysFullAcrossTheCalendarMinuteBoundary() {
        // Five grants at 12:00:59.5; a per-calendar-minute counter would allow five more at 12:01:00.
        Instant burst = Instant.parse("2026-06-01T12:00:59.500Z");
        WindowState state = stateWith(List.of(burst, burst, burst, burst, burst), LocalDate.of(2026, 6, 1));
        Account account = account(ModelLimits.of(5, 100, 1000), Optional.empty());

        Headroom atNextMinute = NO_GUARD.check(limits(account), account, state, one(), Instant.parse("2026-06-01T12:01:00.000Z"));

        Headroom.OpensAt opens = assertInstanceOf(Headroom.OpensAt.class, atNextMinute);
        assertEquals(burst.plusSeconds(60), opens.at(), "opens exactly when the burst leaves the rolling window");
        assertInstanceOf(Headroom.Fits.class,
                NO_GUARD.check(limits(account), account, state, one(), burst.plusSeconds(60)));
        assertInstanceOf(Headroom.OpensAt.class,
                NO_GUARD.check(limits(account), account, state, one(), burst.plusSeconds(60).minusMillis(1)));
    }

    @Test
    void theEarliestOpeningIsWhenEnoughOfTheOldestGrantsHaveLeft() {
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        WindowState state = stateWith(List.of(t0, t0.plusSeconds(10), t0.plusSeconds(20), t0.plusSeconds(30)), LocalDate.of(2026, 6, 1));
        Account account = account(ModelLimits.of(4, 100, 1000), Optional.empty());

        Headroom forTwo = NO_GUARD.check(limits(account), account, state, new Demand(2, 2, 0), t0.plusSeconds(40));

        assertEquals(t0.plusSeconds(70), assertInstanceOf(Headroom.OpensAt.class, forTwo).at(),
                "two requests fit once the grants of t0 and t0+10 s have left");
    }

    @Test
    void theGuardWidensTheWindowBeyondSixtySeconds() {
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        WindowState state = stateWith(List.of(t0), LocalDate.of(2026, 6, 1));
        Account account = account(ModelLimits.of(1, 100, 1000), Optional.empty());

        Headroom later = new QuotaWindows(Duration.ofSeconds(2)).check(limits(account), account, state, one(), t0.plusSeconds(61));

        assertEquals(t0.plusSeconds(62), assertInstanceOf(Headroom.OpensAt.class, later).at());
    }

    @Test
    void reservesNothingWhenAnyDimensionIsFull() {
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        Account account = account(ModelLimits.of(10, 4, 1000), Optional.empty());
        WindowState state = new WindowState(1, List.of(new Grant("a", t0, new Demand(1, 4, 0), t0)),
                LocalDate.of(2026, 6, 1), 1, Optional.empty(), Learning.NONE);

        Headroom headroom = NO_GUARD.check(limits(account), account, state, one(), t0.plusSeconds(5));

        Headroom.OpensAt opens = assertInstanceOf(Headroom.OpensAt.class, headroom);
        assertTrue(opens.reason().startsWith("ipm"), opens.reason());
    }

    @Test
    void aDemandLargerThanALimitCanNeverBeServed() {
        Account account = account(ModelLimits.of(10, 2, 1000), Optional.empty());
        Instant now = Instant.parse("2026-06-01T12:00:00Z");

        Headroom headroom = NO_GUARD.check(limits(account), account, WindowState.empty(LocalDate.of(2026, 6, 1)),
                new Demand(1, 3, 0), now);

        assertInstanceOf(Headroom.Never.class, headroom);
    }

    @Test
    void theProviderDayOfASpringForwardDayHas23HoursAndOfAFallBackDay25() {
        // 2026-03-08: clocks in Los Angeles jump from 02:00 PST to 03:00 PDT.
        Instant springNoon = Instant.parse("2026-03-08T19:00:00Z"); // 12:00 PDT
        assertEquals(LocalDate.of(2026, 3, 8), QuotaWindows.providerDay(springNoon, LA));
        assertEquals(Instant.parse("2026-03-09T07:00:00Z"), QuotaWindows.nextProviderDay(springNoon, LA));
        assertEquals(Duration.ofHours(23), Duration.between(Instant.parse("2026-03-08T08:00:00Z"),
                QuotaWindows.nextProviderDay(springNoon, LA)));
        // 2026-11-01: clocks fall back from 02:00 PDT to 01:00 PST.
        Instant fallNoon = Instant.parse("2026-11-01T20:00:00Z"); // 12:00 PST
        assertEquals(Instant.parse("2026-11-02T08:00:00Z"), QuotaWindows.nextProviderDay(fallNoon, LA));
        assertEquals(Duration.ofHours(25), Duration.between(Instant.parse("2026-11-01T07:00:00Z"),
                QuotaWindows.nextProviderDay(fallNoon, LA)));
        // Just before midnight PDT is still the old day, though it is already the next day in UTC.
        assertEquals(LocalDate.of(2026, 3, 8), QuotaWindows.providerDay(Instant.parse("2026-03-09T06:59:59Z"), LA));
    }

    @Test
    void anExhaustedRpdOpensWhenThePacificDayTurnsAndCountsFromZeroAfter() {
        Account account = account(ModelLimits.of(100, 100, 3), Optional.empty());
        Instant lateEvening = Instant.parse("2026-03-09T06:30:00Z"); // 23:30 PDT on 2026-03-08
        WindowState used = new WindowState(1, List.of(), LocalDate.of(2026, 3, 8), 3, Optional.empty(), Learning.NONE);

        Headroom before = NO_GUARD.check(limits(account), account, used, one(), lateEvening);
        assertEquals(Instant.parse("2026-03-09T07:00:00Z"), assertInstanceOf(Headroom.OpensAt.class, before).at());

        Headroom after = NO_GUARD.check(limits(account), account, used, one(), Instant.parse("2026-03-09T07:00:00Z"));
        assertInstanceOf(Headroom.Fits.class, after);
        assertEquals(0, NO_GUARD.current(used, Instant.parse("2026-03-09T07:00:00Z"), LA).dayRequests());
    }

    @Test
    void smoothingAllowsAtMostCeilOfLimitTimesSOverSixtyInAnySSeconds() {
        assertEquals(1, QuotaWindows.smoothed(60, Duration.ofSeconds(1)));
        assertEquals(3, QuotaWindows.smoothed(10, Duration.ofSeconds(15)));
        assertEquals(1, QuotaWindows.smoothed(5, Duration.ofSeconds(10)));
        Account account = account(ModelLimits.of(60, 600, 10_000), Optional.of(Duration.ofSeconds(1)));
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        WindowState state = stateWith(List.of(t0), LocalDate.of(2026, 6, 1));

        assertEquals(t0.plusSeconds(1), assertInstanceOf(Headroom.OpensAt.class,
                NO_GUARD.check(limits(account), account, state, one(), t0.plusMillis(400))).at());
        assertInstanceOf(Headroom.Fits.class, NO_GUARD.check(limits(account), account, state, one(), t0.plusSeconds(1)));
    }

    @Test
    void aCooldownHoldsUntilItEnds() {
        Account account = account(ModelLimits.of(100, 100, 1000), Optional.empty());
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        WindowState cooling = new WindowState(1, List.of(), LocalDate.of(2026, 6, 1), 0,
                Optional.of(new Cooldown(t0.plusSeconds(30), "429")), Learning.NONE);

        assertEquals(t0.plusSeconds(30), assertInstanceOf(Headroom.OpensAt.class,
                NO_GUARD.check(limits(account), account, cooling, one(), t0)).at());
        assertInstanceOf(Headroom.Fits.class, NO_GUARD.check(limits(account), account, cooling, one(), t0.plusSeconds(30)));
    }

    @Test
    void maxConcurrentCountsCallsNotJobs() {
        Account account = account(new ModelLimits(100, 100, 1000, Optional.empty(), Optional.of(4)), Optional.empty());
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        // one Gemini job of three images: three calls side by side, still in flight
        WindowState running = new WindowState(1, List.of(new Grant("job", t0, new Demand(3, 3, 0), t0.plusSeconds(600))),
                LocalDate.of(2026, 6, 1), 3, Optional.empty(), Learning.NONE);

        assertInstanceOf(Headroom.Fits.class, NO_GUARD.check(limits(account), account, running, one(), t0.plusSeconds(1)));
        Headroom.OpensAt full = assertInstanceOf(Headroom.OpensAt.class,
                NO_GUARD.check(limits(account), account, running, new Demand(2, 2, 0), t0.plusSeconds(1)));
        assertTrue(full.reason().contains("3 of 4 calls in flight"), full.reason());
        assertInstanceOf(Headroom.Fits.class, NO_GUARD.check(limits(account), account, WindowState.empty(LocalDate.of(2026, 6, 1)),
                new Demand(5, 5, 0), t0), "five calls at once run alone, when nothing else is in flight");
    }

    @Test
    void aDemandLargerThanALearnedLimitRunsAloneInItsWindowInsteadOfNever() {
        Account account = account(ModelLimits.of(100, 100, 1000), Optional.empty());
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        AppliedLimits learned = new AppliedLimits(new ModelLimits(2, 100, 1000, Optional.empty(), Optional.empty()),
                java.util.Set.of(Dimension.RPM), false);
        WindowState one = stateWith(List.of(t0), LocalDate.of(2026, 6, 1));

        Headroom.OpensAt later = assertInstanceOf(Headroom.OpensAt.class,
                NO_GUARD.decide(learned, account, one, new Demand(4, 4, 0), t0.plusSeconds(5)).headroom());
        assertEquals(t0.plusSeconds(60), later.at(), "once the window is empty");
        assertInstanceOf(Headroom.Fits.class, NO_GUARD.decide(learned, account, one, new Demand(4, 4, 0), t0.plusSeconds(60)).headroom());
        assertInstanceOf(Headroom.Never.class, NO_GUARD.decide(AppliedLimits.declared(learned.limits()), account, one,
                new Demand(4, 4, 0), t0.plusSeconds(60)).headroom(), "a declared limit is a wall");
    }

    @Test
    void whatTheProviderSaysRemainsUntilItsResetIsNotExceeded() {
        Account account = account(ModelLimits.of(100, 100, 1000), Optional.empty());
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        Learning said = Learning.NONE.withStated(Dimension.RPM, new Learning.Stated(
                new StatedLimit(100, Optional.of(1L), Optional.of(Duration.ofSeconds(6)), "x-ratelimit-remaining-requests"), t0));
        WindowState state = new WindowState(1, List.of(new Grant("g", t0.plusSeconds(1), one(), t0.plusSeconds(1))),
                LocalDate.of(2026, 6, 1), 1, Optional.empty(), said);

        assertEquals(t0.plusSeconds(6), assertInstanceOf(Headroom.OpensAt.class,
                NO_GUARD.check(limits(account), account, state, one(), t0.plusSeconds(2))).at(), "the one left went at t0 + 1 s");
        assertInstanceOf(Headroom.Fits.class, NO_GUARD.check(limits(account), account, state, one(), t0.plusSeconds(6)));
    }

    @Test
    void aLimitThatHoldsADemandBackWhileItsWindowIsFullIsReportedAsBinding() {
        Account account = account(ModelLimits.of(100, 100, 1000), Optional.empty());
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        AppliedLimits paced = new AppliedLimits(ModelLimits.of(3, 100, 1000), java.util.Set.of(Dimension.RPM), true);
        WindowState full = stateWith(List.of(t0, t0.plusSeconds(20), t0.plusSeconds(40)), LocalDate.of(2026, 6, 1));
        WindowState afterIdle = stateWith(List.of(t0.plusSeconds(40)), LocalDate.of(2026, 6, 1));

        assertEquals(java.util.Set.of(Dimension.RPM), NO_GUARD.decide(paced, account, full, one(), t0.plusSeconds(50)).binding());
        QuotaWindows.Check gapOnly = NO_GUARD.decide(paced, account, afterIdle, one(), t0.plusSeconds(50));
        assertEquals(t0.plusSeconds(60), assertInstanceOf(Headroom.OpensAt.class, gapOnly.headroom()).at(), "40 s + 60 s / 3");
        assertEquals(java.util.Set.of(), gapOnly.binding(), "only the spacing held it back, with room in the window");
    }

    @Test
    void theSafetyMarginLowersEveryLimit() {
        ModelLimits limits = new ModelLimits(10, 20, 100, Optional.of(1000), Optional.of(3)).withMargin(0.1);
        assertEquals(new ModelLimits(9, 18, 90, Optional.of(900), Optional.of(3)), limits);
        assertEquals(1, ModelLimits.of(1, 1, 1).withMargin(0.5).rpm().orElseThrow(), "never below one");
    }

    static Account account(ModelLimits limits, Optional<Duration> smoothing) {
        return new Account("project-a", "gemini", URI.create("https://generativelanguage.googleapis.com"), "env:KEY",
                Map.of(MODEL, limits), 0.0, LA, smoothing);
    }

    private static ModelLimits limits(Account account) {
        return account.effectiveLimits(MODEL).orElseThrow();
    }

    private static Demand one() {
        return new Demand(1, 1, 0);
    }

    private static WindowState stateWith(List<Instant> grantTimes, LocalDate day) {
        List<Grant> grants = new ArrayList<>();
        for (int i = 0; i < grantTimes.size(); i++) {
            grants.add(new Grant("g" + i, grantTimes.get(i), one(), grantTimes.get(i)));
        }
        return new WindowState(1, grants, day, grants.size(), Optional.empty(), Learning.NONE);
    }
}
