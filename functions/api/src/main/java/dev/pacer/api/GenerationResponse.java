package dev.pacer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.usecase.GenerationView;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET /v1/generations/{id}: the job's state and, once it succeeded, presigned image URLs; a job that succeeded with
 * fewer images than asked says how many are missing and why in {@code shortfall}; a job its owner asked to cancel
 * while it ran says when in {@code cancelRequestedAt}. The same document is the body of the job's callback.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record GenerationResponse(
        String id,
        String status,
        String prompt,
        String model,
        String resolution,
        String aspectRatio,
        int count,
        Map<String, String> metadata,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Input> inputs,
        Optional<Input> mask,
        Optional<Instant> deadline,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Optional<Instant> cancelRequestedAt,
        int attempts,
        Optional<String> account,
        List<Image> images,
        Optional<Error> error,
        Optional<Shortfall> shortfall,
        List<Call> attemptLog,
        Optional<QuotaWaits> quotaWaits,
        Optional<CallbackState> callback,
        String lane,
        String laneReason,
        Optional<Batch> batch) {

    /** The provider batch a BATCHED job is in, and its state as the poller last saw it. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Batch(String id, Optional<String> name, Optional<String> state) {
    }

    public record Image(String url, String key, String contentType, long bytes) {
    }

    /**
     * A reference image of an edit: the upload or the earlier job's image it names, as intake found it. Never a URL:
     * the caller has the file, or the earlier job's own links.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Input(Optional<String> upload, Optional<String> job, Optional<Integer> index, String contentType, long bytes) {
        static Input of(InputImage image) {
            boolean upload = image.source() == InputImage.Source.UPLOAD;
            return new Input(upload ? Optional.of(image.id()) : Optional.empty(), upload ? Optional.empty() : Optional.of(image.id()),
                    upload ? Optional.empty() : Optional.of(image.index()), image.contentType(), image.bytes());
        }
    }

    public record Error(String type, String message) {
    }

    public record Shortfall(int missing, String type, String message) {
    }

    /** One provider call made for the job; {@code attempts} above stays the number of claims. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Call(int attempt, String provider, String account, String model, Instant startedAt, long latencyMillis,
                       String outcome, Optional<String> errorType, int images, Usage usage, BigDecimal estimatedCostUsd) {
    }

    public record Usage(long inputTokens, long outputTokens, long totalTokens) {
    }

    /** How often the job waited for quota, and when it first and last did; the log keeps only the first few 429s. */
    public record QuotaWaits(int count, Instant firstAt, Instant lastAt) {
    }

    /** Where the finished job is POSTed and how far that got. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record CallbackState(String url, int attempts, Optional<Integer> lastStatus, Optional<String> lastError,
                                Optional<Instant> lastAttemptAt, Optional<Instant> deliveredAt, Optional<Instant> gaveUpAt) {
    }

    public static GenerationResponse of(GenerationView view) {
        Job job = view.job();
        return new GenerationResponse(
                job.id().value(),
                job.status().name(),
                job.request().prompt(),
                job.request().model(),
                job.request().resolution().label(),
                job.request().aspectRatio(),
                job.request().count(),
                job.request().metadata(),
                job.request().inputs().stream().map(Input::of).toList(),
                job.request().mask().map(Input::of),
                job.deadline(),
                job.createdAt(),
                job.startedAt(),
                job.finishedAt(),
                job.cancelRequestedAt(),
                job.attempts(),
                job.account(),
                view.images().stream()
                        .map(link -> new Image(link.url().toString(), link.image().key(), link.image().contentType(), link.image().bytes()))
                        .toList(),
                // on a SUCCEEDED job the error is why images are missing: the shortfall says it
                job.error().filter(e -> job.status() != JobStatus.SUCCEEDED).map(e -> new Error(e.type(), e.message())),
                job.shortfall().map(s -> new Shortfall(s.missing(), s.type(), s.message())),
                job.attemptLog().stream()
                        .map(a -> new Call(a.number(), a.provider(), a.account(), a.model(), a.startedAt(), a.latency().toMillis(),
                                a.outcome().name(), a.errorType(), a.images(),
                                new Usage(a.usage().inputTokens(), a.usage().outputTokens(), a.usage().totalTokens()),
                                a.estimatedCostUsd()))
                        .toList(),
                job.quotaWaits().map(w -> new QuotaWaits(w.count(), w.firstAt(), w.lastAt())),
                job.callback().map(c -> new CallbackState(c.url().toString(), c.attempts(), c.lastStatus(), c.lastError(),
                        c.lastAttemptAt(), c.deliveredAt(), c.gaveUpAt())),
                job.lane().lane().label(),
                job.lane().reason(),
                job.status() == JobStatus.BATCHED
                        ? job.batchId().map(id -> new Batch(id, view.batch().flatMap(b -> b.provider()).map(p -> p.name()),
                                view.batch().flatMap(b -> b.provider()).map(p -> p.state().name())))
                        : Optional.empty());
    }
}
