package dev.pacer.core.usecase;

import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs one delivery of a job: claim it, call the provider, store the images, record the outcome. */
public final class ProcessGeneration {

    private final JobStore jobs;
    private final ImageProvider provider;
    private final ImageStore images;
    private final RetryPolicy retryPolicy;
    private final Clock clock;

    public ProcessGeneration(JobStore jobs, ImageProvider provider, ImageStore images, RetryPolicy retryPolicy, Clock clock) {
        this.jobs = jobs;
        this.provider = provider;
        this.images = images;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
    }

    public ProcessingResult process(JobId id) {
        Instant now = clock.instant();
        Optional<Job> claimed = jobs.claim(id, now, now.plus(retryPolicy.lease()));
        if (claimed.isEmpty()) {
            // A duplicate delivery, a finished job, or a job another attempt is running: never call twice.
            return new ProcessingResult.Skipped(jobs.find(id)
                    .map(job -> "job is " + job.status())
                    .orElse("no such job"));
        }
        Job job = claimed.get();
        ProviderOutcome outcome;
        try {
            outcome = provider.generate(job.request());
        } catch (RuntimeException unexpected) {
            outcome = new ProviderOutcome.RetryLater("provider_error", String.valueOf(unexpected.getMessage()));
        }
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (outcome instanceof ProviderOutcome.Generated generated) {
            return succeed(job, generated.images());
        }
        if (outcome instanceof ProviderOutcome.Refused refused) {
            return fail(job, new JobError(refused.type(), refused.message()));
        }
        ProviderOutcome.RetryLater retry = (ProviderOutcome.RetryLater) outcome;
        return retryOrGiveUp(job, new JobError(retry.type(), retry.message()));
    }

    private ProcessingResult succeed(Job job, List<GeneratedImage> generated) {
        List<StoredImage> stored = new ArrayList<>(generated.size());
        for (int n = 0; n < generated.size(); n++) {
            GeneratedImage image = generated.get(n);
            String key = "generations/" + job.id() + "/" + n + "." + image.fileExtension();
            images.put(key, image.bytes(), image.contentType());
            stored.add(new StoredImage(key, image.contentType(), image.bytes().length));
        }
        jobs.markSucceeded(job.id(), stored, clock.instant());
        return new ProcessingResult.Finished(JobStatus.SUCCEEDED);
    }

    private ProcessingResult fail(Job job, JobError error) {
        jobs.markFailed(job.id(), error, clock.instant());
        return new ProcessingResult.Finished(JobStatus.FAILED);
    }

    private ProcessingResult retryOrGiveUp(Job job, JobError error) {
        if (job.attempts() >= retryPolicy.maxAttempts()) {
            return fail(job, new JobError(error.type(),
                    "gave up after " + job.attempts() + " attempts; last: " + error.message()));
        }
        jobs.release(job.id(), error, clock.instant());
        return new ProcessingResult.RetryLater(error.type() + ": " + error.message());
    }
}
