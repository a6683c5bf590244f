package dev.pacer.core.port;

import dev.pacer.core.job.JobId;

/** The queue that feeds workers. */
public interface JobQueue {

    void enqueue(JobId id);
}
