package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.StoredImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one attempt stands: the job as claimed (its log holds the lost attempts too), the images stored for it so
 * far, and the calls that the transition ending the attempt writes to the log.
 */
record Progress(Job job, List<StoredImage> images, List<Attempt> calls) {

    Progress {
        Objects.requireNonNull(job, "job");
        images = List.copyOf(images);
        calls = List.copyOf(calls);
    }

    boolean hasEveryImage() {
        return images.size() >= job.request().count();
    }

    /** The request for the images still missing: those already stored are kept, not asked for again. */
    GenerationRequest rest() {
        return job.request().withCount(job.request().count() - images.size());
    }

    /** Where the attempt stands after one more call, which left the job with {@code stored}. */
    Progress after(Attempt call, List<StoredImage> stored) {
        List<Attempt> made = new ArrayList<>(calls);
        made.add(call);
        return new Progress(job, stored, made);
    }
}
