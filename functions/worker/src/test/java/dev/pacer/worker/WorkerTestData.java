package dev.pacer.worker;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.testsupport.MotoTestResource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** What the worker's tests share: the job table in moto and queued jobs. */
final class WorkerTestData {

    static final String GEMINI_FLASH = "gemini-3.1-flash-image";
    /** A model the test pool (accounts-test.json) names and the bundled catalog lacks. */
    static final String POOL_ONLY = "gemini-3.5-flash-image";

    private WorkerTestData() {
    }

    static DynamoDbJobStore jobs() {
        return new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(),
                MotoTestResource.resources().physicalId("JobsTable"), Duration.ofDays(1));
    }

    /** A QUEUED job of alice's, stored (no message is sent: tests deliver their own events). */
    static Job queuedJob(String model, String prompt, int count) {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest(prompt, model, Resolution.ONE_K, "1:1", count, Map.of()),
                Instant.now());
        jobs().create(job);
        return job;
    }

    /** A QUEUED edit of alice's naming an input that is not (or no longer) in the bucket: an expired upload. */
    static Job queuedEditOfAMissingInput(String model, String prompt) {
        GenerationRequest edit = new GenerationRequest(prompt, model, Resolution.ONE_K, "1:1", 1, Map.of())
                .withInputs(java.util.List.of(dev.pacer.core.job.InputImage.upload("gone", "uploads/alice/gone", "image/png", 1000)),
                        java.util.Optional.empty());
        Job job = Job.queued(JobId.random(), "alice", edit, Instant.now());
        jobs().create(job);
        return job;
    }
}
