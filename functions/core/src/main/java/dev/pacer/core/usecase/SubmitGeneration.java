package dev.pacer.core.usecase;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.job.RequestFingerprint;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobStore;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Accepts a job: validate (with its callback URL and deadline, if any), admit it under its caller's cap, record it as
 * QUEUED, put it on the queue — once per idempotency key. A retry with the key of a job no worker has claimed yet puts
 * that job on the queue again.
 */
public final class SubmitGeneration {

    /** How long an Idempotency-Key keeps naming its job. */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    private final SubmissionValidator validator;
    private final SubmissionInputs inputs;
    private final CallbackUrlPolicy callbackUrls;
    private final DeadlinePolicy deadlines;
    private final CallerCap cap;
    private final JobStore jobs;
    private final JobQueue queue;
    private final JobMetrics metrics;
    private final Clock clock;
    private final LanePolicy lanes;
    private final BatchSupport batchSupport;

    /** A submit that takes prompts only, without a batch lane: any input image is refused, {@code auto} picks sync. */
    public SubmitGeneration(SubmissionValidator validator, CallbackUrlPolicy callbackUrls, DeadlinePolicy deadlines, CallerCap cap,
            JobStore jobs, JobQueue queue, JobMetrics metrics, Clock clock) {
        this(validator, SubmissionInputs.none(), callbackUrls, deadlines, cap, jobs, queue, metrics, clock, LanePolicy.standard(),
                BatchSupport.none());
    }

    /** Without a batch lane: {@code "lane": "batch"} is refused, {@code auto} picks the sync lane. */
    public SubmitGeneration(SubmissionValidator validator, SubmissionInputs inputs, CallbackUrlPolicy callbackUrls,
            DeadlinePolicy deadlines, CallerCap cap, JobStore jobs, JobQueue queue, JobMetrics metrics, Clock clock) {
        this(validator, inputs, callbackUrls, deadlines, cap, jobs, queue, metrics, clock, LanePolicy.standard(), BatchSupport.none());
    }

    /** Prompts only (any input image is refused), with a batch lane. */
    public SubmitGeneration(SubmissionValidator validator, CallbackUrlPolicy callbackUrls, DeadlinePolicy deadlines, CallerCap cap,
            JobStore jobs, JobQueue queue, JobMetrics metrics, Clock clock, LanePolicy lanes, BatchSupport batchSupport) {
        this(validator, SubmissionInputs.none(), callbackUrls, deadlines, cap, jobs, queue, metrics, clock, lanes, batchSupport);
    }

    public SubmitGeneration(SubmissionValidator validator, SubmissionInputs inputs, CallbackUrlPolicy callbackUrls,
            DeadlinePolicy deadlines, CallerCap cap, JobStore jobs, JobQueue queue, JobMetrics metrics, Clock clock,
            LanePolicy lanes, BatchSupport batchSupport) {
        this.lanes = lanes;
        this.batchSupport = batchSupport;
        this.validator = validator;
        this.inputs = inputs;
        this.callbackUrls = callbackUrls;
        this.deadlines = deadlines;
        this.cap = cap;
        this.jobs = jobs;
        this.queue = queue;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The job the submission named: new, or the one its idempotency key was first used for. */
    public record Submitted(Job job, boolean replayed) {
    }

    /** The Idempotency-Key was first used for a different request. */
    public static final class IdempotencyKeyReusedException extends RuntimeException {
        private final JobId existing;

        public IdempotencyKeyReusedException(JobId existing) {
            super("this Idempotency-Key was already used for a different request (job " + existing + ")");
            this.existing = existing;
        }

        public JobId existing() {
            return existing;
        }
    }

    public Submitted submit(Submission submission, String owner, Optional<IdempotencyKey> key) {
        GenerationRequest prompted = validator.validate(submission);
        // reads each input's first bytes: after the cheap checks, before anything is stored
        GenerationRequest request = inputs.attach(prompted, validator.modelOf(prompted), submission.inputs(), submission.mask(), owner);
        Optional<URI> callbackUrl = submission.callbackUrl().map(callbackUrls::validate);
        Instant now = clock.instant();
        Optional<Instant> deadline = submission.deadline().map(raw -> deadlines.validate(raw, now));
        // an edit is chosen for like any job: its batch lines carry its reference images
        LaneChoice lane = lanes.choose(submission.lane(), request.model(), deadline, batchSupport, now);
        // before anything is stored; a replay of an earlier submission is refused too while the caller is at the cap
        cap.admit(owner);
        Job queued = Job.queued(JobId.random(), owner, request, now);
        Job withCallback = callbackUrl.map(queued::withCallback).orElse(queued);
        Job job = deadline.map(withCallback::withDeadline).orElse(withCallback).withLane(lane);
        if (key.isEmpty()) {
            jobs.create(job);
        } else {
            IdempotentCreation creation = jobs.createIdempotently(job, key.get(),
                    RequestFingerprint.of(request, callbackUrl, deadline, submission.lane()),
                    now.plus(IDEMPOTENCY_WINDOW));
            if (creation instanceof IdempotentCreation.AlreadySubmitted replay) {
                return replayed(jobs.find(replay.existing()).orElseThrow());
            }
            if (creation instanceof IdempotentCreation.KeyReused reused) {
                throw new IdempotencyKeyReusedException(reused.existing());
            }
        }
        if (job.waitsForBatch()) {
            // the batch collector finds it in the job store: the sync lane's queue never sees it
            metrics.submitted(job);
            return new Submitted(job, false);
        }
        try {
            queue.enqueue(job.id());
        } catch (RuntimeException e) {
            // The caller gets an error, but the record must not sit in QUEUED forever with no message behind it.
            JobError error = new JobError("enqueue_failed", "the job could not be queued; submit it again"
                    + (key.isPresent() ? " with a new Idempotency-Key" : ""));
            try {
                jobs.markFailed(job.id(), error, clock.instant());
            } catch (RuntimeException notMarked) {
                // still QUEUED and never claimed: a retry with its key queues it again (see replayed)
                e.addSuppressed(notMarked);
                throw e;
            }
            metrics.failed(job, error);
            throw e;
        }
        metrics.submitted(job);
        return new Submitted(job, false);
    }

    /**
     * The job a retried submission names. If no worker ever claimed it, its first submission may have stopped between
     * recording and queueing it, so it is queued again: a second message is harmless, since only one claim can win.
     * If that fails too, the caller gets the error and the job is left as it is for the next retry, as it may still
     * have a message on its way.
     */
    private Submitted replayed(Job job) {
        if (job.neverClaimed() && !job.waitsForBatch()) {
            queue.enqueue(job.id());
        }
        return new Submitted(job, true);
    }
}
