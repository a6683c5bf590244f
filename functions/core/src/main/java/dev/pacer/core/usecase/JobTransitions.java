package dev.pacer.core.usecase;

import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.Requeue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The job store's transitions for one delivery, each with the metric that counts it. A job that finishes with a
 * callback URL also sends the notice that starts the callback's delivery. A job whose owner asked to cancel it while
 * it ran ends CANCELLED where it would have been tried again.
 */
final class JobTransitions {

    private static final System.Logger LOG = System.getLogger(JobTransitions.class.getName());
    /** A held message comes back this long after the lease it waited for, so the lease has surely ended. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(1);

    private final JobStore jobs;
    private final JobMetrics metrics;
    private final CompletionNotices notices;
    private final Duration lease;
    private final Clock clock;

    JobTransitions(JobStore jobs, JobMetrics metrics, CompletionNotices notices, Duration lease, Clock clock) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.notices = notices;
        this.lease = lease;
        this.clock = clock;
    }

    /** Takes the job for this attempt, for as long as the lease; empty when the job is not ours to run. */
    Optional<Job> claim(JobId id) {
        Instant now = clock.instant();
        return jobs.claim(id, now, now.plus(lease));
    }

    /**
     * A delivery of a job that is not ours to run. A finished job whose callback was never tried may have lost its
     * notice right after it was marked: the notice is sent again. A job another attempt is running keeps this
     * message until that attempt's lease ends: it may be the very message the attempt started from (SQS delivers at
     * least once), and acknowledging it would delete the message a released job needs to come back.
     */
    ProcessingResult notOurs(JobId id) {
        Optional<Job> found = jobs.find(id);
        found.filter(Job::awaitsCallbackNotice).ifPresent(job -> notices.jobFinished(id));
        Optional<Job> running = found.filter(job -> job.status() == JobStatus.RUNNING);
        if (running.isPresent()) {
            Instant now = clock.instant();
            Instant until = running.get().leaseUntil().orElse(now.plus(lease));
            Duration wait = until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
            return new ProcessingResult.RetryLater("job is RUNNING under another attempt until " + until,
                    Optional.of(wait.plus(LEASE_MARGIN)));
        }
        return new ProcessingResult.Skipped(found.map(job -> "job is " + job.status()).orElse("no such job"));
    }

    /** SUCCEEDED with its images; {@code shortfall} says why some are missing, if any are. */
    ProcessingResult succeed(Progress progress, Optional<JobError> shortfall) {
        Job job = progress.job();
        jobs.markSucceeded(job.id(), progress.images(), shortfall, progress.calls(), clock.instant());
        metrics.succeeded(job);
        return finished(job, JobStatus.SUCCEEDED);
    }

    /**
     * The job ends without the images still missing: FAILED when it has none, SUCCEEDED with what it has otherwise
     * (images made are billed and never thrown away), the error then saying why the rest are missing.
     */
    ProcessingResult fail(Progress progress, JobError error) {
        if (!progress.images().isEmpty()) {
            return succeed(progress, Optional.of(error));
        }
        Job job = progress.job();
        jobs.markFailed(job.id(), error, progress.calls(), clock.instant());
        metrics.failed(job, error);
        return finished(job, JobStatus.FAILED);
    }

    /** Back to QUEUED after a failure that may pass: the delivery must come back. Unless its owner asked to cancel it. */
    ProcessingResult release(Progress progress, JobError error) {
        if (jobs.release(progress.job().id(), error, progress.calls(), clock.instant()) == Requeue.CANCEL_REQUESTED) {
            return cancelInsteadOfRetry(progress);
        }
        return new ProcessingResult.RetryLater(error.type() + ": " + error.message());
    }

    /**
     * Back to QUEUED after this attempt failed inside pacer before it called the provider: the attempt is given back,
     * so the next claim does not take it for a call lost with its worker, perhaps billed. The exception's text goes to
     * the log only; the job shows a fixed one. If even that write fails, the original failure is thrown. A job whose
     * owner asked to cancel it meanwhile ends instead.
     */
    ProcessingResult giveBack(Progress progress, RuntimeException beforeTheCall) {
        JobId id = progress.job().id();
        LOG.log(System.Logger.Level.WARNING, "job " + id + ": failed before calling the provider; released to try again",
                beforeTheCall);
        JobError error = new JobError("internal_error", "pacer failed before calling the provider; the job is tried again");
        Requeue requeued;
        try {
            requeued = jobs.giveBack(id, error, progress.calls(), clock.instant());
        } catch (RuntimeException alsoFailed) {
            beforeTheCall.addSuppressed(alsoFailed);
            throw beforeTheCall;
        }
        if (requeued == Requeue.CANCEL_REQUESTED) {
            return cancelInsteadOfRetry(progress);
        }
        return new ProcessingResult.RetryLater(error.type() + ": " + beforeTheCall);
    }

    /**
     * WAITING_FOR_QUOTA until {@code until}: not a failure, the attempt is given back. The caller has checked that
     * the job may wait that long. Unless its owner asked to cancel it.
     */
    ProcessingResult waitForQuota(Progress progress, Instant until, String reason) {
        // the job's quotaWaits counts this wait; its log takes the calls, the first few 429s of a job one by one
        if (jobs.waitForQuota(progress.job().id(), until, AttemptLog.kept(progress.job(), progress.calls()), clock.instant())
                == Requeue.CANCEL_REQUESTED) {
            return cancelInsteadOfRetry(progress);
        }
        metrics.waitingForQuota(progress.job());
        return new ProcessingResult.WaitForQuota(until, reason);
    }

    /**
     * Its owner asked to cancel the job while it ran: it ends where it would have been tried again, CANCELLED. Images
     * made are billed and kept, so a job that has some ends SUCCEEDED, its shortfall saying the rest were cancelled.
     */
    ProcessingResult cancelInsteadOfRetry(Progress progress) {
        if (!progress.images().isEmpty()) {
            return succeed(progress, Optional.of(new JobError("cancelled",
                    "its owner cancelled the job while it ran; the images still missing were not made")));
        }
        Job job = progress.job();
        jobs.cancelInsteadOfRetry(job.id(), progress.calls(), clock.instant());
        metrics.cancelled(job);
        return finished(job, JobStatus.CANCELLED);
    }

    /**
     * Only a job with a callback URL costs the notice (one queue message); a failed notice fails the delivery, whose
     * retry finds the job finished and sends the notice then.
     */
    private ProcessingResult finished(Job job, JobStatus status) {
        if (job.callback().isPresent()) {
            notices.jobFinished(job.id());
        }
        return new ProcessingResult.Finished(status);
    }
}
