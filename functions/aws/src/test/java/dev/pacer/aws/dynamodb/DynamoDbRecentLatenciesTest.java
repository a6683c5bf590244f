package dev.pacer.aws.dynamodb;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DynamoDbRecentLatenciesTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final String FLASH = "gemini-3.1-flash-image";

    private DynamoDbJobStore jobs;
    private DynamoDbRecentLatencies latencies;

    @BeforeEach
    void setUp() {
        String table = moto.resources().physicalId("JobsTable");
        jobs = new DynamoDbJobStore(moto.clients().dynamoDb(), table, Duration.ofDays(30));
        latencies = new DynamoDbRecentLatencies(moto.clients().dynamoDb(), table);
    }

    @Test
    void readsTheWorkTimeOfTheNewestSuccessesOfOneModelAndResolutionOnly() {
        succeeded(FLASH, Resolution.TWO_K, T0, Duration.ofSeconds(31));
        succeeded(FLASH, Resolution.TWO_K, T0.plusSeconds(60), Duration.ofSeconds(29));
        succeeded(FLASH, Resolution.TWO_K, T0.plusSeconds(120), Duration.ofMillis(30_500));
        succeeded(FLASH, Resolution.ONE_K, T0.plusSeconds(180), Duration.ofSeconds(13));
        succeeded("gemini-3-pro-image", Resolution.TWO_K, T0.plusSeconds(240), Duration.ofSeconds(40));
        failed(FLASH, Resolution.TWO_K, T0.plusSeconds(300));
        queued(FLASH, Resolution.TWO_K);

        assertEquals(List.of(Duration.ofMillis(30_500), Duration.ofSeconds(29), Duration.ofSeconds(31)),
                latencies.recentSuccesses(FLASH, Resolution.TWO_K, 50));
        assertEquals(List.of(Duration.ofMillis(30_500), Duration.ofSeconds(29)),
                latencies.recentSuccesses(FLASH, Resolution.TWO_K, 2));
        assertEquals(List.of(Duration.ofSeconds(13)), latencies.recentSuccesses(FLASH, Resolution.ONE_K, 50));
        assertEquals(List.of(), latencies.recentSuccesses(FLASH, Resolution.FOUR_K, 50));
    }

    @Test
    void aRetriedJobCountsOnlyTheClaimThatSucceeded() {
        Job job = queued("gemini-2.5-flash-image", Resolution.ONE_K);
        jobs.claim(job.id(), T0, T0.plusSeconds(780));
        jobs.release(job.id(), new JobError("provider_unavailable", "503"), List.of(), T0.plusSeconds(20));
        jobs.claim(job.id(), T0.plusSeconds(60), T0.plusSeconds(840));
        jobs.markSucceeded(job.id(), List.of(image(job)), Optional.empty(), List.of(), T0.plusSeconds(72));

        assertEquals(List.of(Duration.ofSeconds(12)), latencies.recentSuccesses("gemini-2.5-flash-image", Resolution.ONE_K, 50));
    }

    private void succeeded(String model, Resolution resolution, Instant started, Duration work) {
        Job job = queued(model, resolution);
        jobs.claim(job.id(), started, started.plusSeconds(780));
        jobs.markSucceeded(job.id(), List.of(image(job)), Optional.empty(), List.of(), started.plus(work));
    }

    private void failed(String model, Resolution resolution, Instant started) {
        Job job = queued(model, resolution);
        jobs.claim(job.id(), started, started.plusSeconds(780));
        jobs.markFailed(job.id(), new JobError("safety", "blocked"), started.plusSeconds(5));
    }

    private Job queued(String model, Resolution resolution) {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", model, resolution, "1:1", 1, Map.of()), T0);
        jobs.create(job);
        return job;
    }

    private static StoredImage image(Job job) {
        return new StoredImage("generations/" + job.id() + "/0.png", "image/png", 1_600_000);
    }
}
