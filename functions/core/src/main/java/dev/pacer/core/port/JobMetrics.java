package dev.pacer.core.port;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;

import java.time.Duration;

/**
 * What operators count and time: one call per event, made where the event happens. An adapter turns them into
 * metrics; it must never throw, and never publish the prompt. {@code job} is the job as the use case held it
 * when the event happened (its status may be the one before the event).
 */
public interface JobMetrics {

    /** The job was accepted and queued. */
    void submitted(Job job);

    /** The job's first provider call is about to start, {@code queued} after it was submitted (waits for quota included). */
    void firstCallStarting(Job job, Duration queued);

    /** A provider call for the job ended (or an earlier, lost one was written off), as its attempt log records it. */
    void called(Job job, Attempt attempt);

    /**
     * A batch brought (part of) the job back, as its attempt log records it: priced at the batch price, its latency the
     * batch's turnaround, so it is kept out of the sync lane's generation latency.
     */
    default void batchSettled(Job job, Attempt attempt) {
    }

    /** No account had room for the job, or the provider answered 429: it waits for quota. */
    void waitingForQuota(Job job);

    /** The job ended SUCCEEDED. */
    void succeeded(Job job);

    /** The job ended FAILED, for {@code error.type()}. */
    void failed(Job job, JobError error);

    /** The job ended CANCELLED: its owner cancelled it before it ran, or while it ran instead of a retry. */
    void cancelled(Job job);
}
