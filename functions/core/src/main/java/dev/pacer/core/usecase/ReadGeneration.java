package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.job.JobId;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobStore;

import java.time.Duration;
import java.util.Optional;

/** Looks a job up and signs short-lived download URLs for its images. */
public final class ReadGeneration {

    private final JobStore jobs;
    private final ImageStore images;
    private final Duration urlValidity;
    private final Optional<BatchStore> batches;

    /** Without the batch lane's records: a batched job shows its batch record's id only. */
    public ReadGeneration(JobStore jobs, ImageStore images, Duration urlValidity) {
        this.jobs = jobs;
        this.images = images;
        this.urlValidity = urlValidity;
        this.batches = Optional.empty();
    }

    public ReadGeneration(JobStore jobs, ImageStore images, Duration urlValidity, BatchStore batches) {
        this.jobs = jobs;
        this.images = images;
        this.urlValidity = urlValidity;
        this.batches = Optional.of(batches);
    }

    /** The job if it exists and belongs to {@code owner}; someone else's job is as absent as a missing one. */
    public Optional<GenerationView> read(JobId id, String owner) {
        return jobs.find(id).filter(job -> job.owner().equals(owner)).map(this::view);
    }

    /** The job with freshly signed links to its images. */
    public GenerationView view(Job job) {
        // a batched job shows its provider batch and its state, as the poller last saw them
        Optional<BatchRecord> batch = job.status() == JobStatus.BATCHED
                ? job.batchId().flatMap(id -> batches.flatMap(store -> store.find(id)))
                : Optional.empty();
        return new GenerationView(job, job.images().stream()
                .map(image -> new ImageLink(image, images.presignedGet(image.key(), urlValidity)))
                .toList(), batch);
    }
}
