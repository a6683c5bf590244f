package dev.pacer.core.usecase;

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

    public Optional<GenerationView> read(JobId id) {
        return jobs.find(id).map(job -> new GenerationView(job, job.images().stream()
                .map(image -> new ImageLink(image, images.presignedGet(image.key(), urlValidity)))
                .toList()));
    }
}
