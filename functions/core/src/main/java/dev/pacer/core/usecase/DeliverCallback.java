package dev.pacer.core.usecase;

import dev.pacer.core.job.Callback;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.port.CallbackEndpoint;
import dev.pacer.core.port.CallbackEndpoint.CallbackAnswer;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.JobStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * POSTs a finished job to its callback URL once, records how that went on the job, and either is done (a 2xx, or
 * the last attempt the policy allows) or asks for another try after a backoff. The attempt is recorded before the
 * POST is sent, so one the function never came back from (it timed out, it died) still counts toward the limit.
 */
public final class DeliverCallback {

    private final JobStore jobs;
    private final ReadGeneration views;
    private final CallbackEndpoint endpoint;
    private final CompletionNotices notices;
    private final CallbackPolicy policy;
    private final Clock clock;

    public DeliverCallback(JobStore jobs, ReadGeneration views, CallbackEndpoint endpoint, CompletionNotices notices,
            CallbackPolicy policy, Clock clock) {
        this.jobs = jobs;
        this.views = views;
        this.endpoint = endpoint;
        this.notices = notices;
        this.policy = policy;
        this.clock = clock;
    }

    /** What one delivery attempt came to. */
    public sealed interface Result {
        record Delivered(int status, int attempts) implements Result {
        }

        record WillRetry(String reason, Duration after) implements Result {
        }

        record GaveUp(String reason, int attempts) implements Result {
        }

        /** Nothing to send: no such job, no callback, not finished, or already delivered or given up on. */
        record Skipped(String reason) implements Result {
        }
    }

    public Result deliver(JobId id) {
        Optional<Job> found = jobs.find(id);
        if (found.isEmpty()) {
            return new Result.Skipped("no such job");
        }
        Job job = found.get();
        if (job.callback().isEmpty() || !job.status().isTerminal()) {
            return new Result.Skipped(job.callback().isEmpty() ? "job has no callback" : "job is " + job.status());
        }
        Callback callback = job.callback().get();
        if (callback.isSettled()) {
            // a duplicate notice: SQS delivers at least once
            return new Result.Skipped(callback.deliveredAt().isPresent() ? "already delivered" : "already given up");
        }
        if (callback.attempts() >= policy.maxAttempts()) {
            // the last attempt was recorded, then never finished: no answer will come, and no more are allowed
            jobs.recordCallback(id, callback.givenUp(clock.instant()));
            return new Result.GaveUp(callback.lastError().orElse("no answer"), callback.attempts());
        }
        Callback sending = callback.sending(clock.instant());
        jobs.recordCallback(id, sending);
        CallbackAnswer answer = endpoint.post(callback.url(), views.view(job));
        Instant now = clock.instant();
        Callback after = answer instanceof CallbackAnswer.Answered answered
                ? sending.answered(Optional.of(answered.status()), Optional.empty(), now)
                : sending.answered(Optional.empty(), Optional.of(((CallbackAnswer.Unreachable) answer).reason()), now);
        if (after.deliveredAt().isPresent()) {
            jobs.recordCallback(id, after);
            return new Result.Delivered(after.lastStatus().orElseThrow(), after.attempts());
        }
        String reason = after.lastStatus().map(status -> "HTTP " + status).orElseGet(() -> after.lastError().orElse("no answer"));
        if (after.attempts() >= policy.maxAttempts()) {
            jobs.recordCallback(id, after.givenUp(now));
            return new Result.GaveUp(reason, after.attempts());
        }
        jobs.recordCallback(id, after);
        Duration wait = policy.backoff(after.attempts());
        notices.retryAfter(id, wait);
        return new Result.WillRetry(reason, wait);
    }
}
