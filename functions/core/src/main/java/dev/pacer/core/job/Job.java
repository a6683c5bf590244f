package dev.pacer.core.job;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A generation job as the job store keeps it. {@code owner} is the caller who submitted it: only they may read it. */
public record Job(
        JobId id,
        String owner,
        JobStatus status,
        GenerationRequest request,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        int attempts,
        Optional<String> account,
        List<StoredImage> images,
        Optional<JobError> error) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(error, "error");
        images = List.copyOf(images);
    }

    /** A job just accepted: queued, never attempted. */
    public static Job queued(JobId id, String owner, GenerationRequest request, Instant now) {
        return new Job(id, owner, JobStatus.QUEUED, request, now, Optional.empty(), Optional.empty(), 0,
                Optional.empty(), List.of(), Optional.empty());
    }
}
