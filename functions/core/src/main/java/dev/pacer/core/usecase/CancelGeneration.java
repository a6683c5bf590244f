package dev.pacer.core.usecase;

import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobStore;

import java.time.Clock;
import java.util.Optional;

/**
 * Cancels a job for its owner. A job no attempt holds (QUEUED, WAITING_FOR_QUOTA) is CANCELLED at once, with a
 * callback and an event like any finished job, and is never run: the worker's claim refuses it, so its message is
 * skipped. A RUNNING job's provider call cannot be taken back: the request is noted, and the job is not tried again
 * (it ends CANCELLED where it would have been). A finished job stays as it is.
 */
public final class CancelGeneration {

    /** A worker may move the job between the read and the write; each such race costs one more try. */
    private static final int TRIES = 5;

    private final JobStore jobs;
    private final ReadGeneration views;
    private final CompletionNotices notices;
    private final JobMetrics metrics;
    private final Clock clock;

    public CancelGeneration(JobStore jobs, ReadGeneration views, CompletionNotices notices, JobMetrics metrics, Clock clock) {
        this.jobs = jobs;
        this.views = views;
        this.notices = notices;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What cancelling came to. */
    public sealed interface Outcome {

        /** The job is CANCELLED: now, or it was already. */
        record Cancelled(GenerationView view) implements Outcome {
        }

        /** The job is RUNNING: its call goes on, but the request is noted and it is not tried again. */
        record Running(Job job) implements Outcome {
        }

        /** The job had already ended SUCCEEDED or FAILED. */
        record Finished(Job job) implements Outcome {
        }

        /** No such job, or it is someone else's. */
        record NotFound() implements Outcome {
        }
    }

    public Outcome cancel(JobId id, String owner) {
        for (int tried = 0; tried < TRIES; tried++) {
            Optional<Job> found = jobs.find(id).filter(job -> job.owner().equals(owner));
            if (found.isEmpty()) {
                return new Outcome.NotFound();
            }
            Job job = found.get();
            switch (job.status()) {
                case CANCELLED -> {
                    return new Outcome.Cancelled(views.view(job));
                }
                case SUCCEEDED, FAILED -> {
                    return new Outcome.Finished(job);
                }
                case BATCHED -> {
                    // its line is with the provider already and cannot be taken back: the job ends with its line
                    return new Outcome.Running(job);
                }
                case RUNNING -> {
                    Optional<Job> asked = jobs.requestCancel(id, clock.instant());
                    if (asked.isPresent()) {
                        return new Outcome.Running(asked.get());
                    }
                }
                case QUEUED, WAITING_FOR_QUOTA -> {
                    Optional<Job> cancelled = jobs.cancel(id, clock.instant());
                    if (cancelled.isPresent()) {
                        metrics.cancelled(cancelled.get());
                        // a lost notice is sent again when the job's message comes back and finds it finished
                        if (cancelled.get().callback().isPresent()) {
                            notices.jobFinished(id);
                        }
                        return new Outcome.Cancelled(views.view(cancelled.get()));
                    }
                }
            }
            // a worker moved the job meanwhile: look again
        }
        throw new IllegalStateException("job " + id + " kept changing while it was being cancelled; try again");
    }
}
