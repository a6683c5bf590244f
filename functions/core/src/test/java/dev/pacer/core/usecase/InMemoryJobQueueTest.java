package dev.pacer.core.usecase;

import dev.pacer.core.job.JobId;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobQueueContract;

import java.util.List;

class InMemoryJobQueueTest extends JobQueueContract {

    private final InMemoryJobQueue queue = new InMemoryJobQueue();

    @Override
    protected JobQueue newQueue() {
        return queue;
    }

    @Override
    protected List<JobId> deliveries() {
        return queue.drain();
    }
}
