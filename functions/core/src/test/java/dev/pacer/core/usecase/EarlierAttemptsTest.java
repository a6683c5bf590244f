package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What earlier attempts left behind, and where a job's images are kept. */
class EarlierAttemptsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String MODEL = TestCatalog.FLASH;

    private final InMemoryImages store = new InMemoryImages();
    private final JobImages images = new JobImages(store);
    private final EarlierAttempts earlier = new EarlierAttempts(images, new AttemptLog(TestCatalog.prices()));

    @Test
    void eachClaimedAttemptWithoutALogEntryIsLoggedAsALostAmbiguousCallPricedAsIfBilled() {
        Job claimed = job(2, 3, List.of(call(1, Attempt.Outcome.RETRY_LATER, 0)));

        Progress progress = earlier.recover(claimed);

        Attempt lost = progress.calls().get(0);
        assertEquals(1, progress.calls().size());
        assertEquals(2, lost.number());
        assertEquals(Attempt.Outcome.AMBIGUOUS, lost.outcome());
        assertEquals(Optional.of("worker_lost"), lost.errorType());
        assertEquals("project-a", lost.account(), "the account the job ran on last");
        assertEquals(0, new BigDecimal("0.134").compareTo(lost.estimatedCostUsd()), lost.estimatedCostUsd()::toString);
        assertEquals(List.of(1, 2), progress.job().attemptLog().stream().map(Attempt::number).toList(),
                "the lost attempt counts for the retry policy now");
    }

    @Test
    void theStoreIsNotAskedWhenNoEarlierCallCanHaveStoredAnything() {
        Job claimed = job(2, 2, List.of(call(1, Attempt.Outcome.RETRY_LATER, 0)));
        images.store(claimed, List.of(), generated(2));

        assertEquals(List.of(), earlier.recover(claimed).images());
    }

    @Test
    void aLostWorkerThatStoredEveryImageIsRepairedAsTheCallThatMadeThem() {
        Job claimed = job(2, 2, List.of());
        images.store(claimed, List.of(), generated(2));

        Progress progress = earlier.recover(claimed);
        assertTrue(progress.hasEveryImage());
        Attempt repaired = earlier.repaired(progress).calls().get(0);

        assertEquals(Attempt.Outcome.GENERATED, repaired.outcome());
        assertEquals(Optional.empty(), repaired.errorType());
        assertEquals(2, repaired.images());
        assertEquals(0, new BigDecimal("0.134").compareTo(repaired.estimatedCostUsd()), repaired.estimatedCostUsd()::toString);
    }

    @Test
    void aLostWorkerThatStoredSomeImagesLeavesTheRestToAskFor() {
        Job claimed = job(3, 2, List.of());
        images.store(claimed, List.of(), generated(2));

        Progress progress = earlier.recover(claimed);

        assertFalse(progress.hasEveryImage());
        assertEquals(1, progress.rest().count());
    }

    @Test
    void imagesAreNumberedOnFromThoseKeptAndReadBackInNumberOrder() {
        Job job = job(12, 1, List.of());
        List<StoredImage> stored = new ArrayList<>();
        for (int call = 0; call < 11; call++) {
            stored = images.store(job, stored, generated(1));
        }

        assertEquals(stored, images.stored(job));
        assertEquals("generations/" + job.id() + "/10.png", images.stored(job).get(10).key(), "10 comes after 9, not after 1");
    }

    private static Job job(int count, int attempts, List<Attempt> log) {
        return new Job(JobId.random(), "alice", JobStatus.RUNNING, new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", count, Map.of()),
                NOW, Optional.of(NOW), Optional.empty(), attempts, Optional.of("project-a"), List.of(), Optional.empty(), log);
    }

    private static Attempt call(int number, Attempt.Outcome outcome, int images) {
        return new Attempt(number, "gemini", "project-a", MODEL, NOW, Duration.ZERO, outcome,
                outcome == Attempt.Outcome.GENERATED ? Optional.empty() : Optional.of("provider_unavailable"), images, Usage.NONE, BigDecimal.ZERO);
    }

    private static ProviderOutcome.Generated generated(int count) {
        List<GeneratedImage> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(new GeneratedImage(new byte[] {1, 2, 3}, "image/png"));
        }
        return new ProviderOutcome.Generated(made);
    }
}
