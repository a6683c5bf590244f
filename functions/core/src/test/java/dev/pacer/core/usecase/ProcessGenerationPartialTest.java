package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Shortfall;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs of several images where only some came back: what is kept, what is asked for again, how the job ends. */
class ProcessGenerationPartialTest {

    private static final String MODEL = "gemini-3.1-flash-image";
    private static final Account ACCOUNT = new Account("project-a", "gemini", URI.create("http://localhost"), "none",
            Map.of(MODEL, ModelLimits.of(100, 100, 1000)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    private final InMemoryJobs jobs = new InMemoryJobs();
    private final InMemoryImages images = new InMemoryImages();
    private final PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(List.of(ACCOUNT)), new InMemoryQuotaStateStore(),
            new QuotaWindows(Duration.ofSeconds(1)), CLOCK, new Random(7));
    private final Deque<ProviderOutcome> answers = new ArrayDeque<>();
    private final List<Integer> asked = new ArrayList<>();

    @Test
    void aRefusalOfSomeImagesEndsTheJobSucceededWithTheOnesMadeAndAVisibleShortfall() {
        JobId id = jobs.add(request(3), CLOCK.instant());
        answers.add(new ProviderOutcome.Partial(generated(png(), png()), new ProviderOutcome.Refused("safety_block", "IMAGE_SAFETY")));

        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process(3).process(id));

        Job done = jobs.find(id).orElseThrow();
        assertEquals(List.of("generations/" + id + "/0.png", "generations/" + id + "/1.png"), keys(done));
        assertEquals(Optional.of(new Shortfall(1, "safety_block", "IMAGE_SAFETY")), done.shortfall());
        Attempt attempt = done.attemptLog().get(0);
        assertEquals(Attempt.Outcome.REFUSED, attempt.outcome(), "logged as what happened to the missing image");
        assertEquals(2, attempt.images());
        assertEquals(Optional.of("safety_block"), attempt.errorType());
    }

    @Test
    void whenEveryImageIsRefusedTheJobFailsWithTheReason() {
        JobId id = jobs.add(request(2), CLOCK.instant());
        answers.add(new ProviderOutcome.Refused("safety_block", "IMAGE_SAFETY"));

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process(3).process(id));

        Job failed = jobs.find(id).orElseThrow();
        assertEquals("safety_block", failed.error().orElseThrow().type());
        assertEquals(Optional.empty(), failed.shortfall());
        assertTrue(images.stored("generations/").isEmpty());
    }

    @Test
    void aPassingFailureOfSomeImagesKeepsTheOthersAndTheRetryAsksAndReservesOnlyForTheMissingOnes() {
        JobId id = jobs.add(request(3), CLOCK.instant());
        answers.add(new ProviderOutcome.Partial(generated(png(), png()), new ProviderOutcome.RetryLater("provider_unavailable", "503")));
        answers.add(generated(new GeneratedImage(new byte[] {9, 9}, "image/webp")));
        ProcessGeneration process = process(3);

        assertInstanceOf(ProcessingResult.RetryLater.class, process.process(id));
        assertEquals(JobStatus.QUEUED, jobs.find(id).orElseThrow().status());
        assertEquals(2, images.stored("generations/" + id + "/").size(), "stored at once, not held for the retry");

        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process.process(id));

        Job done = jobs.find(id).orElseThrow();
        assertEquals(List.of(3, 1), asked, "the retry asks for the missing image only");
        assertEquals(List.of("generations/" + id + "/0.png", "generations/" + id + "/1.png", "generations/" + id + "/2.webp"), keys(done));
        assertEquals(Optional.empty(), done.shortfall());
        assertEquals(Optional.empty(), done.error());
        assertEquals(4, ledger.usage().get(0).usage().imagesLastMinute(), "3 reserved, then 1");
        assertEquals(List.of(2, 1), done.attemptLog().stream().map(Attempt::images).toList());
    }

    @Test
    void whenTheAttemptsRunOutTheImagesMadeStayAndTheJobSucceedsShortSayingWhy() {
        JobId id = jobs.add(request(2), CLOCK.instant());
        answers.add(new ProviderOutcome.Partial(generated(png()), new ProviderOutcome.RetryLater("provider_unavailable", "503")));
        answers.add(new ProviderOutcome.RetryLater("provider_unavailable", "503 again"));
        ProcessGeneration process = process(2);

        assertInstanceOf(ProcessingResult.RetryLater.class, process.process(id));
        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process.process(id));

        Job done = jobs.find(id).orElseThrow();
        assertEquals(List.of("generations/" + id + "/0.png"), keys(done));
        Shortfall shortfall = done.shortfall().orElseThrow();
        assertEquals(1, shortfall.missing());
        assertEquals("provider_unavailable", shortfall.type());
        assertTrue(shortfall.message().startsWith("gave up after 2 attempts"), shortfall::message);
    }

    @Test
    void aRateLimitOnSomeImagesKeepsTheOthersWhileTheJobWaitsForQuota() {
        JobId id = jobs.add(request(2), CLOCK.instant());
        answers.add(new ProviderOutcome.Partial(generated(png()),
                new ProviderOutcome.RateLimited("rate_limited", "429", Optional.of(Duration.ofSeconds(20)), false, Optional.empty())));

        assertInstanceOf(ProcessingResult.WaitForQuota.class, process(3).process(id));

        assertEquals(JobStatus.WAITING_FOR_QUOTA, jobs.find(id).orElseThrow().status());
        assertEquals(List.of("generations/" + id + "/0.png"), images.stored("generations/" + id + "/").stream().map(StoredImage::key).toList());
    }

    private ProcessGeneration process(int maxAttempts) {
        ImageProvider provider = (request, account) -> {
            asked.add(request.count());
            return answers.removeFirst();
        };
        return new ProcessGeneration(jobs, ledger, provider, images, new RecordedMetrics(), new RecordedNotices(),
                new ProcessGeneration.Settings(TestCatalog.standard(), new RetryPolicy(maxAttempts, Duration.ofMinutes(13)),
                        TestCatalog.prices(), CLOCK));
    }

    private static ProviderOutcome.Generated generated(GeneratedImage... made) {
        return new ProviderOutcome.Generated(List.of(made));
    }

    private static GeneratedImage png() {
        return new GeneratedImage(new byte[] {1, 2, 3}, "image/png");
    }

    private static List<String> keys(Job job) {
        return job.images().stream().map(StoredImage::key).toList();
    }

    private static GenerationRequest request(int count) {
        return new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", count, Map.of());
    }
}
