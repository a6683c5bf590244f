package dev.pacer.core.usecase;

import dev.pacer.core.job.JobId;
import dev.pacer.core.port.JobQueue;

import java.util.ArrayList;
import java.util.List;

/** A job queue as a list, for tests (the SQS adapter runs the same {@link dev.pacer.core.port.JobQueueContract} on moto). */
final class InMemoryJobQueue implements JobQueue {

    private final List<JobId> queued = new ArrayList<>();

    @Override
    public synchronized void enqueue(JobId id) {
        queued.add(id);
    }

    /** What a worker would receive now, in the order it was sent; the queue is empty afterwards. */
    synchronized List<JobId> drain() {
        List<JobId> delivered = List.copyOf(queued);
        queued.clear();
        return delivered;
    }
}
