package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.job.Job;

import java.util.List;
import java.util.Optional;

/** A job as its owner sees it: the record plus download links for its images, and, while it is batched, its batch. */
public record GenerationView(Job job, List<ImageLink> images, Optional<BatchRecord> batch) {

    public GenerationView(Job job, List<ImageLink> images) {
        this(job, images, Optional.empty());
    }

    public GenerationView {
        images = List.copyOf(images);
        java.util.Objects.requireNonNull(batch, "batch");
    }
}
