package dev.pacer.worker;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.testsupport.MotoTestResource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the worker's tests share: the job table in moto, queued jobs, and event fixtures with their ${placeholders} filled. */
final class WorkerTestData {

    static final String GEMINI_FLASH = "gemini-3.1-flash-image-preview";

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

    /** The event fixture {@code src/test/resources/events/NAME} with each {@code ${key}} replaced. */
    static String event(String name, Map<String, String> values) {
        try (InputStream in = WorkerTestData.class.getResourceAsStream("/events/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (var value : values.entrySet()) {
                text = text.replace("${" + value.getKey() + "}", value.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
