package dev.pacer.core.usecase;

import dev.pacer.core.job.JobStatus;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What one delivery of a job came to, as far as the queue is concerned. */
public sealed interface ProcessingResult {

    /** The job reached SUCCEEDED or FAILED: the message is done with. */
    record Finished(JobStatus status) implements ProcessingResult {
    }

    /** The job was not ours to run (finished, held by another attempt, unknown): the message is done with. */
    record Skipped(String reason) implements ProcessingResult {
    }

    /**
     * No account had room for the job (or the provider answered 429): it is WAITING_FOR_QUOTA and must come back at
     * {@code until}, without that counting as a failed delivery.
     */
    record WaitForQuota(java.time.Instant until, String reason) implements ProcessingResult {
    }

    /**
     * The attempt failed in a way that may pass: the message must come back.
     *
     * @param notBefore the earliest the provider wants to hear from us again (a 429's delay), if it said
     */
    record RetryLater(String reason, Optional<Duration> notBefore) implements ProcessingResult {
        public RetryLater {
            Objects.requireNonNull(notBefore, "notBefore");
        }

        public RetryLater(String reason) {
            this(reason, Optional.empty());
        }
    }
}
