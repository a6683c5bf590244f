package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.MutableClock;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quota ledger's writes fail (DynamoDB throttles, a race is lost too often) around a provider call: what the
 * call brought is kept, and an attempt that never reached the provider does not look like one that may have.
 */
class ProcessGenerationLedgerFailuresTest {

    private static final String MODEL = TestCatalog.FLASH;
    private static final Account ACCOUNT = new Account("project-a", "gemini", URI.create("http://localhost"), "none",
            Map.of(MODEL, ModelLimits.of(100, 100, 1000)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty());
    private static final Duration LEASE = Duration.ofMinutes(13);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final InMemoryJobs jobs = new InMemoryJobs();
    private final InMemoryImages images = new InMemoryImages();
    private final FailingLedger ledger = new FailingLedger(new PooledQuotaLedger(new AccountPool(List.of(ACCOUNT)),
            new InMemoryQuotaStateStore(), new QuotaWindows(Duration.ofSeconds(1)), clock, new Random(7)));
    private final Deque<ProviderOutcome> answers = new ArrayDeque<>();
    private final ProcessGeneration process = process();

    @Test
    void aReleaseThatFailsAfterAPaidCallNeitherLosesTheImagesNorTheResult() {
        JobId id = jobs.add(request(2), clock.instant());
        answers.add(new ProviderOutcome.Generated(List.of(png(), png())));
        ledger.failReleases = true;

        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process.process(id));

        Job done = jobs.find(id).orElseThrow();
        assertEquals(List.of("generations/" + id + "/0.png", "generations/" + id + "/1.png"), keys(done));
        assertEquals(2, images.stored("generations/" + id + "/").size());
        assertEquals(List.of(Attempt.Outcome.GENERATED), outcomes(done));
        assertEquals(1, ledger.releases(), "the release was tried; its hold lapses on its own");
    }

    @Test
    void aCooldownThatFailsAfterA429KeepsTheImagesThatCameBackAndTheJobWaitsTheProvidersDelay() {
        JobId id = jobs.add(request(2), clock.instant());
        answers.add(new ProviderOutcome.Partial(new ProviderOutcome.Generated(List.of(png())),
                new ProviderOutcome.RateLimited("rate_limited", "gemini 429 RESOURCE_EXHAUSTED", Optional.of(Duration.ofSeconds(20)),
                        false, Optional.empty())));
        ledger.failCoolDowns = true;

        ProcessingResult result = process.process(id);

        assertEquals(clock.instant().plusSeconds(20), assertInstanceOf(ProcessingResult.WaitForQuota.class, result).until(),
                "the account could not be cooled down for everyone: this job at least keeps off it as long as the provider asked");
        Job waiting = jobs.find(id).orElseThrow();
        assertEquals(JobStatus.WAITING_FOR_QUOTA, waiting.status());
        assertEquals(List.of("generations/" + id + "/0.png"), images.stored("generations/" + id + "/").stream().map(StoredImage::key).toList());
        assertEquals(List.of(1), waiting.attemptLog().stream().map(Attempt::images).toList(), "the call and its image are logged");
    }

    @Test
    void aFailureBeforeTheProviderCallReleasesTheJobWithoutLeavingAnAttemptThatLooksBilled() {
        JobId id = jobs.add(request(1), clock.instant());
        ledger.failReservations = true;

        ProcessingResult result = process.process(id);

        assertInstanceOf(ProcessingResult.RetryLater.class, result);
        Job released = jobs.find(id).orElseThrow();
        assertEquals(JobStatus.QUEUED, released.status(), "released at once, not left RUNNING until its lease runs out");
        assertEquals(0, released.attempts(), "nothing was sent: the attempt is given back");
        assertEquals("internal_error", released.error().orElseThrow().type());
        assertFalse(released.error().orElseThrow().message().contains("arn:aws"), "the exception's text stays in the logs");

        ledger.failReservations = false;
        answers.add(new ProviderOutcome.Generated(List.of(png())));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process.process(id));
        Job done = jobs.find(id).orElseThrow();
        assertEquals(List.of(Attempt.Outcome.GENERATED), outcomes(done), "no lost, perhaps billed, attempt in the log");
        assertEquals(1, done.attempts());
        assertTrue(done.attemptLog().stream().allMatch(a -> a.errorType().isEmpty()));
    }

    private ProcessGeneration process() {
        ImageProvider provider = (request, account) -> answers.removeFirst();
        return new ProcessGeneration(jobs, ledger, provider, images, new RecordedMetrics(), new RecordedNotices(),
                new ProcessGeneration.Settings(TestCatalog.standard(), new RetryPolicy(3, LEASE), TestCatalog.prices(), clock));
    }

    private static GeneratedImage png() {
        return new GeneratedImage(new byte[] {1, 2, 3}, "image/png");
    }

    private static List<String> keys(Job job) {
        return job.images().stream().map(StoredImage::key).toList();
    }

    private static List<Attempt.Outcome> outcomes(Job job) {
        return job.attemptLog().stream().map(Attempt::outcome).toList();
    }

    private static GenerationRequest request(int count) {
        return new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", count, Map.of());
    }
}
