package dev.pacer.core.usecase;

import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.QuotaWaits;
import dev.pacer.core.port.ProviderOutcome;

import java.time.Instant;
import java.util.Optional;

/**
 * The retry policy applied to a job's attempt log: whether the job gets another call, and if not, the error it ends
 * with. {@code job} is always the job as claimed, so its log holds the earlier calls (and lost attempts), not this one.
 */
final class RetryBudget {

    private final RetryPolicy policy;

    RetryBudget(RetryPolicy policy) {
        this.policy = policy;
    }

    /**
     * More calls were lost with their worker than the policy retries ambiguous calls, and the provider may have
     * generated and billed each: no new call is made. Empty while one may be.
     */
    Optional<JobError> tooManyLost(Job job) {
        if (job.ambiguousCalls() <= policy.ambiguousRetries()) {
            return Optional.empty();
        }
        return Optional.of(new JobError(AttemptLog.WORKER_LOST, "not retried: a worker was lost during an earlier call, which the "
                + "provider may have generated and billed (" + job.ambiguousCalls() + " such calls, policy allows "
                + policy.ambiguousRetries() + " retries)"));
    }

    /**
     * The job would wait for quota until {@code until}, past what it may wait ({@link Job#waitsAtMostUntil}): the
     * error it ends with instead. Empty while it may wait.
     */
    Optional<JobError> waitedTooLong(Job job, Instant until) {
        Instant bound = job.waitsAtMostUntil(policy.maxQuotaWait());
        if (!until.isAfter(bound)) {
            return Optional.empty();
        }
        String limit = job.deadline().isPresent() ? "its deadline, " + bound
                : bound + ", " + policy.maxQuotaWait().toHours() + " hours after it was accepted (PACER_MAX_QUOTA_WAIT)";
        int waits = job.quotaWaits().map(QuotaWaits::count).orElse(0);
        return Optional.of(new JobError("quota_wait_exceeded", "gave up waiting for quota: no account has room for "
                + job.request().model() + " before " + limit + "; it waited " + waits + (waits == 1 ? " time" : " times")));
    }

    /**
     * The error the job ends with when this failure is not tried again: a refusal as it is, an ambiguous call beyond
     * the policy's retries, any failure of the last attempt the policy allows. Empty when the job is tried again.
     */
    Optional<JobError> noRetry(Job job, ProviderOutcome.Failure failure) {
        JobError error = failure.error();
        if (!failure.isRetryable()) {
            return Optional.of(error);
        }
        if (failure.isAmbiguous() && job.ambiguousCalls() >= policy.ambiguousRetries()) {
            return Optional.of(new JobError(error.type(), "not retried: the provider may have generated and billed it "
                    + "(" + (job.ambiguousCalls() + 1) + " ambiguous calls, policy allows "
                    + policy.ambiguousRetries() + " retries); last: " + error.message()));
        }
        if (job.attempts() >= policy.maxAttempts()) {
            return Optional.of(new JobError(error.type(), "gave up after " + job.attempts() + " attempts; last: " + error.message()));
        }
        return Optional.empty();
    }
}
