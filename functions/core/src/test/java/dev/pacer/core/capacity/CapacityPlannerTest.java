package dev.pacer.core.capacity;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.capacity.CapacityPlan.LatencySource;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.RecentLatencies;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.Learning;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.WindowState;
import dev.pacer.core.usecase.BatchLaneSettings;
import dev.pacer.core.usecase.BatchSupport;
import dev.pacer.core.usecase.LanePolicy;
import dev.pacer.core.usecase.PriceTable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapacityPlannerTest {

    private static final String FLASH = "gemini-3.1-flash-image";
    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    /** 10:00 in Los Angeles (PDT): Gemini's provider day turns at 07:00Z. */
    private static final Instant MORNING = Instant.parse("2026-06-01T17:00:00Z");
    private static final RecentLatencies NO_HISTORY = (model, resolution, limit) -> List.of();
    private static final AwsCosts AWS = new AwsCosts(AwsCosts.US_EAST_1, 1024, 1024, 30);

    private final InMemoryQuotaStateStore quotaState = new InMemoryQuotaStateStore();

    @Test
    void seedsWorkedExampleTwentyOneKImagesAMinuteTakeFiveWorkersAndAbout23Rpm() {
        // The seed: 60 / 13 s ≈ 4.6 images a minute per blocked thread; 20 / 4.6 ≈ 5 threads, "roughly 23 RPM".
        CapacityPlan plan = plan(pool(gemini("tier-1", 0, 150, 150, 50_000)), FLASH, "1K", "20", MORNING, NO_HISTORY);

        assertEquals(Duration.ofSeconds(13), plan.latency());
        assertEquals(LatencySource.SEED, plan.latencySource());
        assertEquals(5, plan.concurrencyNeeded());
        assertEquals(5, plan.sqsMaximumConcurrency());
        assertEquals(23.08, plan.requestsPerMinuteNeeded(), 0.01);
        assertEquals(150, plan.ceiling().requestsPerMinute());
        assertEquals(List.of(), plan.warnings());
    }

    @Test
    void eachResolutionTakesTheSeedsLatencyAnd4KTheMiddleOfItsRange() {
        AccountPool pool = pool(gemini("tier-1", 0, 150, 150, 50_000));

        assertEquals(Duration.ofSeconds(8), plan(pool, FLASH, "0.5K", "20", MORNING, NO_HISTORY).latency());
        assertEquals(Duration.ofSeconds(30), plan(pool, FLASH, "2K", "20", MORNING, NO_HISTORY).latency());
        CapacityPlan fourK = plan(pool, FLASH, "4K", "20", MORNING, NO_HISTORY);
        assertEquals(Duration.ofSeconds(130), fourK.latency());
        // 20 × 130 / 60 = 43.3 calls in flight
        assertEquals(44, fourK.concurrencyNeeded());
        assertEquals(20.31, fourK.requestsPerMinuteNeeded(), 0.01);
        // 2K: 20 × 30 / 60 = 10 workers making exactly 20 RPM
        assertEquals(10, plan(pool, FLASH, "2K", "20", MORNING, NO_HISTORY).concurrencyNeeded());
    }

    @Test
    void asksTheEventSourceMappingForAtLeastItsMinimumOfTwo() {
        CapacityPlan plan = plan(pool(gemini("tier-1", 0, 150, 150, 50_000)), FLASH, "0.5K", "1", MORNING, NO_HISTORY);

        assertEquals(1, plan.concurrencyNeeded());
        assertEquals(2, plan.sqsMaximumConcurrency());
    }

    @Test
    void aFreeTierAccountCannotKeepUpWithTwentyAMinuteAndSaysSo() {
        // The seed: free tiers allow 5-15 RPM.
        CapacityPlan plan = plan(pool(gemini("free", 0, 10, 10, 100_000)), FLASH, "1K", "20", MORNING, NO_HISTORY);

        assertEquals(10.0, plan.ceiling().imagesPerMinute(), 1e-9);
        assertEquals(2, plan.warnings().size(), plan.warnings().toString());
        assertTrue(plan.warnings().get(0).startsWith("target 20 images/min is above the pool's ceiling of 10 images/min"));
        assertTrue(plan.warnings().get(1).contains("the pool allows 10: jobs will wait for quota"));
    }

    @Test
    void theCeilingSumsTheAccountsAfterTheirMarginsWithTheDailyQuotaSpreadOverTheDay() {
        // docs/accounts.example.json: two Gemini projects, 20 RPM / 20 IPM / 250 RPD each, 10 % margin.
        AccountPool pool = pool(gemini("project-a", 0.1, 20, 20, 250), gemini("project-b", 0.1, 20, 20, 250));

        CapacityPlan plan = plan(pool, FLASH, "1K", "0.25", MORNING, NO_HISTORY);

        assertEquals(2, plan.accounts());
        assertEquals(2 * 225 / 1440.0, plan.ceiling().imagesPerMinute(), 1e-9);
        assertEquals(450, plan.ceiling().imagesPerDay());
        assertEquals(36, plan.ceiling().requestsPerMinute());
        assertEquals(450, plan.ceiling().requestsPerDay());
        assertEquals(List.of(), plan.warnings());
        assertEquals(Optional.empty(), plan.dailyQuotaRunsOutAt());
    }

    @Test
    void theDailyQuotaRunsOutWhenWhatIsLeftTodayIsSpentAtTheTargetPace() {
        AccountPool pool = pool(gemini("project-a", 0.1, 20, 20, 250), gemini("project-b", 0.1, 20, 20, 250));
        usedToday("project-a", 50, MORNING);

        // 175 + 225 requests left at 20 a minute: 20 minutes
        CapacityPlan plan = plan(pool, FLASH, "1K", "20", MORNING, NO_HISTORY);

        assertEquals(Optional.of(Instant.parse("2026-06-01T17:20:00Z")), plan.dailyQuotaRunsOutAt());
        assertTrue(plan.warnings().get(0).startsWith("target 20 images/min is above the pool's ceiling of 0.31 images/min"));
    }

    @Test
    void whenTodaysQuotaOutlastsTheProviderDayTheFreshDayRunsOutAfterMidnightInLosAngeles() {
        AccountPool pool = pool(gemini("project-a", 0.1, 20, 20, 250), gemini("project-b", 0.1, 20, 20, 250));
        Instant tenToMidnight = Instant.parse("2026-06-02T06:50:00Z");

        // 450 requests at 20 a minute last 22.5 minutes: past midnight PDT (07:00Z), so tomorrow's 450 run out at 07:22:30Z
        CapacityPlan plan = plan(pool, FLASH, "1K", "20", tenToMidnight, NO_HISTORY);

        assertEquals(Optional.of(Instant.parse("2026-06-02T07:22:30Z")), plan.dailyQuotaRunsOutAt());
    }

    @Test
    void thePaceNeverExceedsWhatThePerMinuteLimitsAllow() {
        AccountPool pool = pool(gemini("project-a", 0, 10, 10, 1000));

        // asking for 100 a minute, the ledger lets 10 through: 1000 requests last 100 minutes
        CapacityPlan plan = plan(pool, FLASH, "1K", "100", MORNING, NO_HISTORY);

        assertEquals(Optional.of(MORNING.plus(Duration.ofMinutes(100))), plan.dailyQuotaRunsOutAt());
    }

    @Test
    void callsInFlightCapTheCeiling() {
        Account openAi = new Account("org", "openai", URI.create("https://api.openai.com"), "none",
                Map.of("gpt-image-1.5", new ModelLimits(50, 50, 100_000, Optional.empty(), Optional.of(10))), 0, ZoneOffset.UTC, Optional.empty());

        CapacityPlan plan = plan(pool(openAi), "gpt-image-1.5", "1K", "20", MORNING, NO_HISTORY);

        // 10 calls of 13 s: 46.2 a minute, below the 50 RPM
        assertEquals(10 * 60 / 13.0, plan.ceiling().imagesPerMinute(), 1e-9);
        assertEquals(Optional.empty(), plan.dailyQuotaRunsOutAt());
    }

    @Test
    void theMedianOfRecentSuccessesReplacesTheSeedOnceThereAreFive() {
        AccountPool pool = pool(gemini("tier-1", 0, 150, 150, 50_000));
        RecentLatencies five = (model, resolution, limit) -> seconds(21, 19, 40, 18, 20);
        RecentLatencies six = (model, resolution, limit) -> seconds(21, 19, 40, 18, 20, 22);
        RecentLatencies four = (model, resolution, limit) -> seconds(21, 19, 40, 18);

        CapacityPlan measured = plan(pool, FLASH, "1K", "20", MORNING, five);
        assertEquals(Duration.ofSeconds(20), measured.latency());
        assertEquals(LatencySource.MEASURED, measured.latencySource());
        // 20 × 20 / 60 = 6.7 calls in flight
        assertEquals(7, measured.concurrencyNeeded());
        assertEquals(Duration.ofMillis(20_500), plan(pool, FLASH, "1K", "20", MORNING, six).latency());
        assertEquals(LatencySource.SEED, plan(pool, FLASH, "1K", "20", MORNING, four).latencySource());
    }

    @Test
    void anImageCostsTheProvidersListPriceAndAwsItsShare() {
        CapacityPlan plan = plan(pool(gemini("tier-1", 0, 150, 150, 50_000)), FLASH, "1K", "20", MORNING, NO_HISTORY);

        assertEquals(new BigDecimal("0.067000"), plan.costPerImage().provider());
        // worker 1 GB × 13 s; intake, HTTP API, SQS, DynamoDB, S3 requests; 1.6 MB stored 30 days and downloaded once
        assertEquals(new BigDecimal("0.000373"), plan.costPerImage().aws());
        assertEquals(new BigDecimal("0.067373"), plan.costPerImage().total());
    }

    @Test
    void simulatedAccountsCostNothingAndAnUnlistedPriceIsAWarning() {
        Account simulated = new Account("simulated", Account.SIMULATED_PROVIDER, URI.create("http://simulated.invalid"), "none",
                Map.of(FLASH, ModelLimits.of(10_000, 10_000, 1_000_000)), 0, ZoneOffset.UTC, Optional.empty());

        assertEquals(0, plan(pool(simulated), FLASH, "1K", "20", MORNING, NO_HISTORY).costPerImage().provider().signum());
        Account lite = new Account("tier-1", "gemini", URI.create("https://generativelanguage.googleapis.com"), "none",
                Map.of(TestCatalog.FLASH_LITE, ModelLimits.of(150, 150, 50_000)), 0, LA, Optional.empty());
        CapacityPlan unlisted = plan(pool(lite), TestCatalog.FLASH_LITE, "1K", "20", MORNING, NO_HISTORY);
        assertEquals(List.of("no list price for gemini-3.1-flash-lite-image at 1K in the model catalog: provider cost shows as 0"),
                unlisted.warnings());
    }

    @Test
    void aModelNoAccountServesHasNoCeiling() {
        CapacityPlan plan = plan(pool(gemini("tier-1", 0, 150, 150, 50_000)), "gemini-3-pro-image", "1K", "2", MORNING, NO_HISTORY);

        assertEquals(0, plan.accounts());
        assertEquals(0, plan.ceiling().requestsPerDay());
        assertTrue(plan.warnings().get(0).startsWith("no account in the pool serves gemini-3-pro-image"));
    }

    @Test
    void eachBadParameterIsNamed() {
        ModelCatalog catalog = TestCatalog.standard();

        assertEquals("model", field(() -> CapacityQuestion.parse(null, "1K", "20", catalog)));
        assertEquals("model", field(() -> CapacityQuestion.parse("dall-e-9", "1K", "20", catalog)));
        assertEquals("resolution", field(() -> CapacityQuestion.parse(FLASH, "8K", "20", catalog)));
        assertEquals("resolution", field(() -> CapacityQuestion.parse("gemini-2.5-flash-image", "4K", "20", catalog)));
        assertEquals("imagesPerMinute", field(() -> CapacityQuestion.parse(FLASH, "1K", "", catalog)));
        assertEquals("imagesPerMinute", field(() -> CapacityQuestion.parse(FLASH, "1K", "lots", catalog)));
        assertEquals("imagesPerMinute", field(() -> CapacityQuestion.parse(FLASH, "1K", "0", catalog)));
        assertEquals("imagesPerMinute", field(() -> CapacityQuestion.parse(FLASH, "1K", "NaN", catalog)));
        assertEquals("imagesPerMinute", field(() -> CapacityQuestion.parse(FLASH, "1K", "1e9", catalog)));
        assertEquals(new CapacityQuestion(FLASH, Resolution.HALF_K, 2.5), CapacityQuestion.parse(FLASH, "0.5k", "2.5", catalog));
    }

    @Test
    void theBatchLaneAnswersForTheSameImagesAtHalfThePriceWithItsCeilingAndTurnaround() {
        AccountPool pool = pool(gemini("a", 0, 150, 150, 50_000), gemini("b", 0, 150, 150, 50_000));
        Clock clock = Clock.fixed(MORNING, ZoneOffset.UTC);
        var ledger = new PooledQuotaLedger(pool, quotaState, new QuotaWindows(Duration.ofSeconds(1)), clock, new Random(1));
        BatchLaneSettings lanes = new BatchLaneSettings(10, Duration.ofMinutes(5), 1_000, 20, Duration.ofMinutes(15), 3, LanePolicy.standard());
        CapacityPlanner planner = new CapacityPlanner(pool, ledger, NO_HISTORY, TestCatalog.prices(), AWS, clock,
                new BatchSupport(TestCatalog.standard(), pool), lanes);

        CapacityPlan plan = planner.plan(CapacityQuestion.parse(FLASH, "1K", "20", TestCatalog.standard()));

        CapacityPlan.BatchLane batch = plan.batch();
        assertTrue(batch.available(), batch::reason);
        assertEquals(2, batch.accounts());
        assertEquals(2L * 20 * 1_000, batch.imagesPerDay(), "open batches per account × lines per batch, each done within a day");
        assertEquals(Duration.ofHours(26), batch.turnaround(), "the provider's 24 h and the 2 h margin");
        assertEquals(Optional.of(MORNING.plus(Duration.ofHours(26))), batch.expectedBy());
        CapacityPlan.Cost cost = batch.costPerImage().orElseThrow();
        assertEquals(0, plan.costPerImage().provider().divide(BigDecimal.valueOf(2)).compareTo(cost.provider()),
                "half the sync lane's provider price: " + cost + " against " + plan.costPerImage());
        assertTrue(cost.aws().compareTo(plan.costPerImage().aws()) < 0, "no worker blocked on the call: " + cost.aws());
    }

    @Test
    void theBatchLanesCeilingKeepsToEachAccountsOpenBatchesAndEnqueuedTokens() {
        Account tokens = new Account("tokens", "gemini", URI.create("https://generativelanguage.googleapis.com"), "none",
                Map.of(FLASH, ModelLimits.of(150, 150, 50_000).withBatchEnqueuedTokens(129_000)), 0, LA, Optional.empty());
        Account fewOpen = new Account("few-open", "gemini", URI.create("https://generativelanguage.googleapis.com"), "none",
                Map.of(FLASH, ModelLimits.of(150, 150, 50_000)), 0, LA, Optional.empty(), Optional.of(2));
        AccountPool pool = pool(tokens, fewOpen);
        Clock clock = Clock.fixed(MORNING, ZoneOffset.UTC);
        var ledger = new PooledQuotaLedger(pool, quotaState, new QuotaWindows(Duration.ofSeconds(1)), clock, new Random(1));
        BatchLaneSettings lanes = new BatchLaneSettings(10, Duration.ofMinutes(5), 1_000, 20, Duration.ofMinutes(15), 3, LanePolicy.standard());
        CapacityPlanner planner = new CapacityPlanner(pool, ledger, NO_HISTORY, TestCatalog.prices(), AWS, clock,
                new BatchSupport(TestCatalog.standard(), pool), lanes);

        CapacityPlan.BatchLane batch = planner.plan(CapacityQuestion.parse(FLASH, "1K", "20", TestCatalog.standard())).batch();

        assertEquals(129_000 / 1_290 + 2L * 1_000, batch.imagesPerDay(),
                "129,000 enqueued tokens hold 100 images of 1,290; 2 open batches of 1,000 lines");
        assertTrue(batch.reason().contains("enqueued-token limit"), batch::reason);
    }

    @Test
    void aModelWhoseAccountsHaveNoBatchApiSaysSoForTheBatchLane() {
        CapacityPlan plan = plan(pool(gemini("tier-1", 0, 150, 150, 50_000)), FLASH, "1K", "20", MORNING, NO_HISTORY);

        assertTrue(!plan.batch().available());
        assertTrue(plan.batch().reason().contains("no batch lane"), plan.batch().reason());
        assertEquals(Optional.empty(), plan.batch().costPerImage());
    }

    private CapacityPlan plan(AccountPool pool, String model, String resolution, String imagesPerMinute, Instant now,
            RecentLatencies latencies) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        var ledger = new PooledQuotaLedger(pool, quotaState, new QuotaWindows(Duration.ofSeconds(1)), clock, new Random(1));
        return new CapacityPlanner(pool, ledger, latencies, TestCatalog.prices(), AWS, clock)
                .plan(CapacityQuestion.parse(model, resolution, imagesPerMinute, TestCatalog.standard()));
    }

    private void usedToday(String account, int requests, Instant now) {
        quotaState.replace(account, FLASH, 0,
                new WindowState(0, List.of(), QuotaWindows.providerDay(now, LA), requests, Optional.empty(), Learning.NONE), now.plus(Duration.ofDays(2)));
    }

    private static Account gemini(String id, double margin, int rpm, int ipm, int rpd) {
        return new Account(id, "gemini", URI.create("https://generativelanguage.googleapis.com"), "none",
                Map.of(FLASH, ModelLimits.of(rpm, ipm, rpd)), margin, LA, Optional.empty());
    }

    private static AccountPool pool(Account... accounts) {
        return new AccountPool(List.of(accounts));
    }

    private static List<Duration> seconds(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofSeconds).toList();
    }

    private static String field(Runnable parse) {
        return assertThrows(InvalidRequestException.class, parse::run).field();
    }
}
