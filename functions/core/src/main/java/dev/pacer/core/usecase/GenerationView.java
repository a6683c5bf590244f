package dev.pacer.core.usecase;

import dev.pacer.core.job.Job;

import java.util.List;

/** A job as its owner sees it: the record plus download links for its images. */
public record GenerationView(Job job, List<ImageLink> images) {

    public GenerationView {
        images = List.copyOf(images);
    }
}
