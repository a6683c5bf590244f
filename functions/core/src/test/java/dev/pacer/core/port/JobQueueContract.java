package dev.pacer.core.port;

import dev.pacer.core.job.JobId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What every {@link JobQueue} does, run against each of them: SQS on moto and an in-memory one. */
public abstract class JobQueueContract {

    private JobQueue queue;

    /** The queue under test, asked for before each test. */
    protected abstract JobQueue newQueue();

    /** The jobs the queue delivers to a worker now, taken off it: each delivery is seen once. */
    protected abstract List<JobId> deliveries();

    @BeforeEach
    void newQueueForTheTest() {
        queue = newQueue();
    }

    @Test
    void anEnqueuedJobArrivesAsADeliveryNamingIt() {
        JobId id = JobId.random();

        queue.enqueue(id);

        assertEquals(List.of(id), deliveries());
    }

    @Test
    void eachEnqueuedJobArrives() {
        List<JobId> ids = List.of(JobId.random(), JobId.random(), JobId.random());

        ids.forEach(queue::enqueue);

        Comparator<JobId> byValue = Comparator.comparing(JobId::value);
        assertEquals(ids.stream().sorted(byValue).toList(), deliveries().stream().sorted(byValue).toList());
    }

    @Test
    void nothingEnqueuedNothingDelivered() {
        assertEquals(List.of(), deliveries());
    }
}
