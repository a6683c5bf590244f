package dev.pacer.core.usecase;

import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobStore;

import java.time.Clock;

/** Accepts a job: validate, record it as QUEUED, put it on the queue. */
public final class SubmitGeneration {

    private final SubmissionValidator validator;
    private final JobStore jobs;
    private final JobQueue queue;
    private final Clock clock;

    public SubmitGeneration(SubmissionValidator validator, JobStore jobs, JobQueue queue, Clock clock) {
        this.validator = validator;
        this.jobs = jobs;
        this.queue = queue;
        this.clock = clock;
    }

    public Job submit(Submission submission) {
        Job job = Job.queued(JobId.random(), validator.validate(submission), clock.instant());
        jobs.create(job);
        try {
            queue.enqueue(job.id());
        } catch (RuntimeException e) {
            // The caller gets an error, but the record must not sit in QUEUED forever with no message behind it.
            jobs.markFailed(job.id(), new JobError("enqueue_failed", "the job could not be queued; submit it again"), clock.instant());
            throw e;
        }
        return job;
    }
}
