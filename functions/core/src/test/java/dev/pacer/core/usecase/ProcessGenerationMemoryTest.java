package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.AccountUsage;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs of one batch share the worker's memory: a job waits for room for its images before it reserves quota. */
class ProcessGenerationMemoryTest {

    private static final String MODEL = TestCatalog.FLASH;
    private static final Account ACCOUNT = new Account("project-a", "gemini", URI.create("http://localhost"), "none",
            Map.of(MODEL, ModelLimits.of(1000, 1000, 100_000)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    private final InMemoryJobs jobs = new InMemoryJobs();
    private final CountingLedger ledger = new CountingLedger(new PooledQuotaLedger(new AccountPool(List.of(ACCOUNT)),
            new InMemoryQuotaStateStore(), new QuotaWindows(Duration.ofSeconds(1)), CLOCK, new Random(7)));

    @Test
    void aBatchOfFourFourKJobsOfFourImagesRunsOnlyAsManyAtOnceAsTheBudgetHolds() throws Exception {
        // two jobs of four 4K images (2 × 208 MiB) fit, a third does not
        ImageBytesBudget budget = new ImageBytesBudget(450, Duration.ofSeconds(30));
        AtomicInteger imagesInFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        ImageProvider provider = (request, account) -> {
            mostInFlight.accumulateAndGet(imagesInFlight.addAndGet(request.count()), Math::max);
            calls.incrementAndGet();
            // hold each call until a second one is in flight, so the first two overlap for sure
            waitUntil(() -> calls.get() >= 2, Duration.ofSeconds(5));
            imagesInFlight.addAndGet(-request.count());
            return new ProviderOutcome.Generated(Collections.nCopies(request.count(), new GeneratedImage(new byte[] {1}, "image/png")));
        };
        ProcessGeneration process = process(provider, new DiscardedImages(), budget);
        List<JobId> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(jobs.add(new GenerationRequest("a fox", MODEL, Resolution.FOUR_K, "1:1", 4, Map.of()), CLOCK.instant()));
        }

        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<ProcessingResult>> results = batch.stream()
                    .map(id -> CompletableFuture.supplyAsync(() -> process.process(id), executor)).toList();
            for (CompletableFuture<ProcessingResult> result : results) {
                assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            executor.shutdownNow();
        }

        assertEquals(8, mostInFlight.get(), "two jobs' images at once, never the batch's sixteen");
        assertEquals(450, budget.freeMib(), "all room given back");
    }

    @Test
    void aJobThatFindsNoRoomInTimeGoesBackToTheQueueWithoutReservingOrCallingAndKeepsItsAttempt() {
        ImageBytesBudget budget = new ImageBytesBudget(208, Duration.ofMillis(50));
        budget.take(new GenerationRequest("another job", MODEL, Resolution.FOUR_K, "1:1", 4, Map.of())).orElseThrow();
        List<GenerationRequest> called = new ArrayList<>();
        JobId id = jobs.add(new GenerationRequest("a fox", MODEL, Resolution.FOUR_K, "1:1", 1, Map.of()), CLOCK.instant());

        ProcessingResult result = process((request, account) -> {
            called.add(request);
            return new ProviderOutcome.Refused("unexpected", "the provider must not be called");
        }, new DiscardedImages(), budget).process(id);

        ProcessingResult.WaitForQuota wait = (ProcessingResult.WaitForQuota) result;
        assertEquals(CLOCK.instant(), wait.until(), "re-sent at once: another instance takes it");
        assertTrue(wait.reason().contains("no room in this worker's memory"), wait::reason);
        Job job = jobs.find(id).orElseThrow();
        assertEquals(JobStatus.WAITING_FOR_QUOTA, job.status());
        assertEquals(0, job.attempts(), "waiting for room uses up no attempt");
        assertEquals(List.of(), job.attemptLog());
        assertEquals(List.of(), called);
        assertEquals(0, ledger.reservations.get());
    }

    @Test
    void theRoomIsHeldUntilTheImagesAreStoredAndGivenBackEvenWhenStoringFails() {
        ImageBytesBudget budget = new ImageBytesBudget(500, Duration.ZERO);
        List<Integer> freeWhileStoring = new ArrayList<>();
        ImageStore failingStore = new ImageStore() {
            @Override
            public void put(String key, byte[] bytes, String contentType) {
                freeWhileStoring.add(budget.freeMib());
                throw new IllegalStateException("S3 is down");
            }

            @Override
            public List<StoredImage> stored(String prefix) {
                return List.of();
            }

            @Override
            public URI presignedGet(String key, Duration validFor) {
                return URI.create("http://images.invalid/" + key);
            }
        };
        JobId id = jobs.add(new GenerationRequest("a fox", MODEL, Resolution.TWO_K, "1:1", 2, Map.of()), CLOCK.instant());

        assertThrows(IllegalStateException.class, () -> process((request, account) -> new ProviderOutcome.Generated(
                List.of(new GeneratedImage(new byte[] {1}, "image/png"), new GeneratedImage(new byte[] {2}, "image/png"))), failingStore, budget)
                .process(id));

        assertEquals(List.of(500 - 2 * 13), freeWhileStoring);
        assertEquals(500, budget.freeMib());
    }

    private ProcessGeneration process(ImageProvider provider, ImageStore images, ImageBytesBudget budget) {
        return new ProcessGeneration(jobs, ledger, provider, images, budget, new RecordedMetrics(), new RecordedNotices(),
                new ProcessGeneration.Settings(TestCatalog.standard(), new RetryPolicy(3, Duration.ofMinutes(13)),
                        TestCatalog.prices(), CLOCK));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration atMost) {
        long until = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The ledger, counting reservations. */
    private static final class CountingLedger implements QuotaLedger {
        private final QuotaLedger ledger;
        final AtomicInteger reservations = new AtomicInteger();

        CountingLedger(QuotaLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public ReservationOutcome reserve(String model, Demand demand, Duration hold) {
            reservations.incrementAndGet();
            return ledger.reserve(model, demand, hold);
        }

        @Override
        public void release(Reservation reservation, dev.pacer.core.quota.CallReport report) {
            ledger.release(reservation, report);
        }

        @Override
        public Instant coolDown(Reservation reservation, RateLimit rateLimit) {
            return ledger.coolDown(reservation, rateLimit);
        }

        @Override
        public List<AccountUsage> usage() {
            return ledger.usage();
        }
    }
}
