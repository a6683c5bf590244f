package dev.pacer.core.port;

import dev.pacer.core.job.JobId;

/** What storing a job under an idempotency key came to. */
public sealed interface IdempotentCreation {

    /** The key was new: the job and the key were stored together. */
    record Created() implements IdempotentCreation {
    }

    /** The key already named a job for the same request: nothing was stored. */
    record AlreadySubmitted(JobId existing) implements IdempotentCreation {
    }

    /** The key already named a job for a different request: nothing was stored. */
    record KeyReused(JobId existing) implements IdempotentCreation {
    }
}
