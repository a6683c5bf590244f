package dev.pacer.core.usecase;

import dev.pacer.core.catalog.InputLimits;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.ImageHeader;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.InputRefusedException;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.UploadStore;
import dev.pacer.core.upload.Upload;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the reference images a submission names before anything is stored: each exists and is the caller's, a job's
 * image comes from a job that SUCCEEDED, its first bytes say PNG, JPEG or WebP, its size and their count are within
 * the model's limits, and a mask is a PNG of the first image's size on a model that takes one. What passes is
 * recorded as S3 keys with the type and size intake found.
 */
public final class SubmissionInputs {

    /** Where no uploads are wired (tests of text-only paths, benchmarks): any input is refused. */
    private static final SubmissionInputs NONE = new SubmissionInputs(Optional.empty());

    private record Ports(UploadStore uploads, JobStore jobs, InputImages images, Clock clock) {
    }

    private final Optional<Ports> ports;

    public SubmissionInputs(UploadStore uploads, JobStore jobs, InputImages images, Clock clock) {
        this(Optional.of(new Ports(uploads, jobs, images, clock)));
    }

    private SubmissionInputs(Optional<Ports> ports) {
        this.ports = ports;
    }

    public static SubmissionInputs none() {
        return NONE;
    }

    /** {@code request} with its checked inputs; {@code request} itself when the submission names none. */
    public GenerationRequest attach(GenerationRequest request, ModelSpec model, List<InputRef> inputs, Optional<InputRef> mask,
            String owner) {
        if (inputs.isEmpty()) {
            if (mask.isPresent()) {
                throw InputRefusedException.invalid("mask", "a mask applies to the first input image; name inputs too");
            }
            return request;
        }
        InputLimits limits = model.inputs();
        if (!limits.takesImages() || ports.isEmpty()) {
            throw InputRefusedException.invalid("inputs", model.id() + " takes no input images; edit with a model that does "
                    + "(docs/edits.md)");
        }
        if (inputs.size() > limits.maxImages()) {
            throw InputRefusedException.invalid("inputs", model.id() + " takes at most " + limits.maxImages() + " input images, not "
                    + inputs.size());
        }
        if (mask.isPresent() && !limits.acceptsMask()) {
            throw InputRefusedException.invalid("mask", model.id() + " takes no mask");
        }
        List<InputImage> checked = new ArrayList<>();
        ImageHeader first = null;
        for (int i = 0; i < inputs.size(); i++) {
            Resolved resolved = resolve("inputs[" + i + "]", inputs.get(i), owner);
            if (!limits.types().contains(resolved.image().contentType())) {
                throw InputRefusedException.unsupportedType("inputs[" + i + "]", resolved.name() + " is " + resolved.image().contentType()
                        + "; " + model.id() + " takes " + String.join(", ", limits.types()));
            }
            if (resolved.image().bytes() > limits.maxBytes()) {
                throw InputRefusedException.tooLarge("inputs[" + i + "]", resolved.name() + " is " + resolved.image().bytes()
                        + " bytes; " + model.id() + " takes at most " + limits.maxBytes() + " per image");
            }
            checked.add(resolved.image());
            if (i == 0) {
                first = resolved.header();
            }
        }
        long total = checked.stream().mapToLong(InputImage::bytes).sum();
        if (limits.maxTotalBytes() > 0 && total > limits.maxTotalBytes()) {
            throw InputRefusedException.tooLarge("inputs", "the input images are " + total + " bytes together; " + model.id()
                    + " takes at most " + limits.maxTotalBytes() + " in one request");
        }
        Optional<InputImage> checkedMask = Optional.empty();
        if (mask.isPresent()) {
            Resolved resolved = resolve("mask", mask.get(), owner);
            if (!ImageHeader.PNG.equals(resolved.header().contentType())) {
                throw InputRefusedException.unsupportedType("mask", resolved.name() + " is " + resolved.header().contentType()
                        + "; a mask must be a PNG");
            }
            if (resolved.image().bytes() > limits.maxMaskBytes()) {
                throw InputRefusedException.tooLarge("mask", resolved.name() + " is " + resolved.image().bytes() + " bytes; "
                        + model.id() + " takes a mask of at most " + limits.maxMaskBytes());
            }
            Optional<ImageHeader.Size> firstSize = first.size();
            if (firstSize.isEmpty() || resolved.header().size().isEmpty()) {
                throw InputRefusedException.invalid("mask", "the size of the first input image could not be read from its header,"
                        + " so the mask cannot be checked against it");
            }
            if (!firstSize.equals(resolved.header().size())) {
                ImageHeader.Size a = firstSize.get();
                ImageHeader.Size b = resolved.header().size().get();
                throw InputRefusedException.invalid("mask", "the mask is " + b.width() + "x" + b.height() + "; it must be the first"
                        + " input image's size, " + a.width() + "x" + a.height());
            }
            checkedMask = Optional.of(resolved.image());
        }
        return request.withInputs(checked, checkedMask);
    }

    private record Resolved(InputImage image, ImageHeader header, String name) {
    }

    private Resolved resolve(String field, InputRef ref, String owner) {
        UploadStore uploads = ports.orElseThrow().uploads();
        JobStore jobs = ports.orElseThrow().jobs();
        InputImages images = ports.orElseThrow().images();
        Clock clock = ports.orElseThrow().clock();
        if (ref.upload().isPresent() == ref.job().isPresent()) {
            throw InputRefusedException.invalid(field, "name either an upload ({\"upload\": id}) or an earlier job's image"
                    + " ({\"job\": id, \"index\": n})");
        }
        if (ref.upload().isPresent()) {
            if (ref.index().isPresent()) {
                throw InputRefusedException.invalid(field + ".index", "only a job's image has an index");
            }
            String id = ref.upload().get();
            String name = "upload " + id;
            // someone else's upload is as absent as a missing one
            Upload upload = uploads.find(id)
                    .filter(found -> found.owner().equals(owner))
                    .filter(found -> found.expiresAt().isAfter(clock.instant()))
                    .orElseThrow(() -> InputRefusedException.notFound(field + ".upload", "no " + name + " of yours (uploads expire)"));
            InputImages.Head head = images.head(upload.key(), ImageHeader.BYTES_TO_READ)
                    .orElseThrow(() -> InputRefusedException.notReady(field + ".upload", name + " has no file yet: POST it to the"
                            + " upload form first"));
            ImageHeader header = header(field, name, head);
            return new Resolved(InputImage.upload(id, upload.key(), header.contentType(), head.size()), header, name);
        }
        String id = ref.job().get();
        int index = ref.index().orElse(0);
        String name = "image " + index + " of job " + id;
        JobId jobId;
        try {
            jobId = new JobId(id);
        } catch (InvalidRequestException notAnId) {
            throw InputRefusedException.notFound(field + ".job", "no job " + id + " of yours");
        }
        Job job = jobs.find(jobId).filter(found -> found.owner().equals(owner))
                .orElseThrow(() -> InputRefusedException.notFound(field + ".job", "no job " + id + " of yours"));
        if (job.status() != JobStatus.SUCCEEDED) {
            throw InputRefusedException.notReady(field + ".job", "job " + id + " is " + job.status() + "; only a SUCCEEDED job's"
                    + " images can be inputs");
        }
        if (index < 0 || index >= job.images().size()) {
            throw InputRefusedException.notFound(field + ".index", "job " + id + " has " + job.images().size() + " image(s); no index "
                    + index);
        }
        StoredImage stored = job.images().get(index);
        InputImages.Head head = images.head(stored.key(), ImageHeader.BYTES_TO_READ)
                .orElseThrow(() -> InputRefusedException.notFound(field + ".job", name + " is no longer stored (images expire)"));
        ImageHeader header = header(field, name, head);
        return new Resolved(InputImage.ofJob(id, index, stored.key(), header.contentType(), head.size()), header, name);
    }

    private static ImageHeader header(String field, String name, InputImages.Head head) {
        return ImageHeader.of(head.firstBytes()).orElseThrow(() -> InputRefusedException.unsupportedType(field, name
                + " is not a PNG, JPEG or WebP image (by its first bytes)"));
    }
}
