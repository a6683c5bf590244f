package dev.pacer.core.usecase;

import dev.pacer.core.job.Job;
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

    public ReadGeneration(JobStore jobs, ImageStore images, Duration urlValidity) {
        this.jobs = jobs;
        this.images = images;
        this.urlValidity = urlValidity;
    }

    /** The job if it exists and belongs to {@code owner}; someone else's job is as absent as a missing one. */
    public Optional<GenerationView> read(JobId id, String owner) {
        return jobs.find(id).filter(job -> job.owner().equals(owner)).map(this::view);
    }

    /** The job with freshly signed links to its images. */
    public GenerationView view(Job job) {
        return new GenerationView(job, job.images().stream()
                .map(image -> new ImageLink(image, images.presignedGet(image.key(), urlValidity)))
                .toList());
    }
}
