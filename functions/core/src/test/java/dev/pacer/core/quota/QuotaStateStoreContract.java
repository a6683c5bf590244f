package dev.pacer.core.quota;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link QuotaStateStore} does, run against each of them: the DynamoDB store on moto and the in-memory
 * one the ledger's tests and the benchmarks use. It is a compare-and-set register per account and model.
 */
public abstract class QuotaStateStoreContract {

    private static final String MODEL = "gemini-3.1-flash-image";
    // whole milliseconds: that is what the stores keep of a grant's times
    private static final Instant T0 = Instant.parse("2026-06-01T17:00:00.250Z");
    private static final LocalDate DAY = LocalDate.parse("2026-06-01");
    private static final Instant EXPIRES = T0.plus(Duration.ofDays(2));

    private QuotaStateStore store;
    /** An account of this test's own, so that one table may serve every test. */
    private String account;

    /** The store under test, asked for before each test. */
    protected abstract QuotaStateStore newStore();

    @BeforeEach
    void newStoreForTheTest() {
        store = newStore();
        account = "project-" + UUID.randomUUID();
    }

    @Test
    void loadsNothingForAnAccountAndModelNeverStored() {
        assertEquals(Optional.empty(), store.load(account, MODEL));
    }

    @Test
    void aNewStateIsStoredWhole() {
        WindowState next = state(1);

        Replacement.Replaced replaced = assertInstanceOf(Replacement.Replaced.class, store.replace(account, MODEL, 0, next, EXPIRES));

        WindowState stored = replaced.stored();
        assertTrue(stored.version() > 0, "a new record starts at a positive version: " + stored.version());
        assertEquals(next.withVersion(stored.version()), stored);
        assertEquals(Optional.of(stored), store.load(account, MODEL));
    }

    @Test
    void aStateWithNothingLearnedComesBackWithNothingLearned() {
        WindowState plain = new WindowState(0, List.of(new Grant("g-1", T0, new Demand(1, 1, 0), T0)), DAY, 1, Optional.empty(),
                Learning.NONE);

        WindowState stored = stored(store.replace(account, MODEL, 0, plain, EXPIRES));

        assertEquals(Optional.of(plain.withVersion(stored.version())), store.load(account, MODEL));
    }

    @Test
    void newRecordsStartAtVersionsOfTheirOwn() {
        String other = account + "-other";
        long first = stored(store.replace(account, MODEL, 0, state(1), EXPIRES)).version();
        long second = stored(store.replace(other, MODEL, 0, state(1), EXPIRES)).version();

        assertNotEquals(first, second, "a recreated record must not repeat a version a worker may remember");
    }

    @Test
    void aReplaceOfTheVersionStoredCountsItUp() {
        WindowState first = stored(store.replace(account, MODEL, 0, state(1), EXPIRES));

        WindowState second = stored(store.replace(account, MODEL, first.version(), state(2), EXPIRES));

        assertEquals(first.version() + 1, second.version());
        assertEquals(2, second.dayRequests());
        assertEquals(Optional.of(second), store.load(account, MODEL));
    }

    @Test
    void aReplaceOfAnOlderVersionConflictsAndTellsWhatIsStored() {
        WindowState first = stored(store.replace(account, MODEL, 0, state(1), EXPIRES));
        WindowState second = stored(store.replace(account, MODEL, first.version(), state(2), EXPIRES));

        Replacement late = store.replace(account, MODEL, first.version(), state(3), EXPIRES);

        assertEquals(new Replacement.Conflict(Optional.of(second)), late);
        assertEquals(Optional.of(second), store.load(account, MODEL), "the conflict wrote nothing");
    }

    @Test
    void creatingAStateThatExistsConflictsAndTellsWhatIsStored() {
        WindowState first = stored(store.replace(account, MODEL, 0, state(1), EXPIRES));

        assertEquals(new Replacement.Conflict(Optional.of(first)), store.replace(account, MODEL, 0, state(5), EXPIRES));
    }

    @Test
    void replacingAStateNoLongerStoredConflictsWithNothing() {
        assertEquals(new Replacement.Conflict(Optional.empty()), store.replace(account, MODEL, 42, state(1), EXPIRES));
        assertEquals(Optional.empty(), store.load(account, MODEL));
    }

    @Test
    void eachAccountAndModelHasAStateOfItsOwn() {
        WindowState flash = stored(store.replace(account, MODEL, 0, state(1), EXPIRES));
        WindowState pro = stored(store.replace(account, "gemini-3-pro-image", 0, state(7), EXPIRES));

        assertEquals(Optional.of(flash), store.load(account, MODEL));
        assertEquals(Optional.of(pro), store.load(account, "gemini-3-pro-image"));
        assertEquals(Optional.empty(), store.load(account + "-b", MODEL));
    }

    @Test
    void exactlyOneOfManyConcurrentReplacesOfOneVersionWinsAndTheOthersLearnWhatWon() throws Exception {
        WindowState first = stored(store.replace(account, MODEL, 0, state(1), EXPIRES));

        List<Replacement> outcomes = racing(8, () -> store.replace(account, MODEL, first.version(), state(2), EXPIRES));

        List<WindowState> won = outcomes.stream().filter(Replacement.Replaced.class::isInstance)
                .map(r -> ((Replacement.Replaced) r).stored()).toList();
        assertEquals(1, won.size(), outcomes::toString);
        assertEquals(Optional.of(won.get(0)), store.load(account, MODEL));
        for (Replacement lost : outcomes.stream().filter(Replacement.Conflict.class::isInstance).toList()) {
            assertEquals(new Replacement.Conflict(Optional.of(won.get(0))), lost);
        }
    }

    /**
     * A state with two grants (one still in flight), a cooldown and everything learning keeps (learned rates with and
     * without a 429 to hold below, stated limits with and without remaining and reset, spreading, the last 429), so
     * that every field is stored.
     */
    private static WindowState state(int dayRequests) {
        Learning learning = new Learning(
                Map.of(Dimension.RPM, new Learning.LearnedRate(14, Optional.of(20), T0.minusSeconds(45), false,
                                "unpredicted 429 at 20 rpm spread evenly: × 0.7 | with a bar in it"),
                        Dimension.IPM, new Learning.LearnedRate(5, Optional.empty(), T0, true, "a cautious start")),
                Map.of(Dimension.RPM, new Learning.Stated(new StatedLimit(20, Optional.of(3L), Optional.of(Duration.ofMillis(6_500)),
                                "x-ratelimit-limit-requests"), T0.minusSeconds(2)),
                        Dimension.TPM, new Learning.Stated(StatedLimit.of(100_000, "quotaValue of GenerateContentInputTokensPerModelPerMinute"),
                                T0.minusSeconds(40))),
                true, Optional.of(new Learning.Unpredicted(T0.minusSeconds(45), "gemini 429 RESOURCE_EXHAUSTED: per minute")));
        return new WindowState(0, List.of(
                new Grant("g-1", T0, new Demand(1, 1, 0), T0),
                new Grant("g-2", T0.plusMillis(1_500), new Demand(2, 4, 1_290), T0.plus(Duration.ofMinutes(13)))),
                DAY, dayRequests, Optional.of(new Cooldown(T0.plusSeconds(30), "429 from the provider")), learning);
    }

    private static WindowState stored(Replacement replacement) {
        return assertInstanceOf(Replacement.Replaced.class, replacement).stored();
    }

    private static <T> List<T> racing(int threads, Callable<T> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<T> outcomes = new ArrayList<>();
            for (Future<T> outcome : pool.invokeAll(Collections.nCopies(threads, attempt))) {
                outcomes.add(outcome.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
