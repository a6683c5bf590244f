package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.sqs.SqsJobQueue;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The scheduled release (same package as the worker, selected with {@code QUARKUS_LAMBDA_HANDLER=release-parked-jobs}):
 * every few minutes, jobs parked until a provider day turns that are due within SQS's longest delay go back on
 * the queue, delayed to their release time. A duplicate send is harmless: the worker's claim lets one through.
 */
@Named("release-parked-jobs")
public class ReleaseParkedJobsHandler implements RequestHandler<Map<String, Object>, String> {

    private static final Logger LOG = Logger.getLogger(ReleaseParkedJobsHandler.class);
    private static final int BATCH = 500;

    private final DynamoDbParkedJobs parked;
    private final SqsJobQueue queue;
    private final Clock clock;

    public ReleaseParkedJobsHandler(DynamoDbParkedJobs parked, SqsJobQueue queue, Clock clock) {
        this.parked = parked;
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public String handleRequest(Map<String, Object> scheduledEvent, Context context) {
        Instant now = clock.instant();
        int released = 0;
        for (DynamoDbParkedJobs.Parked job : parked.dueBy(now.plus(SqsJobQueue.MAX_DELAY), BATCH)) {
            Duration wait = Duration.between(now, job.releaseAt());
            queue.enqueue(job.id(), wait.isNegative() ? Duration.ZERO : wait);
            parked.remove(job);
            released++;
        }
        LOG.infof("released %d parked jobs", released);
        return "released " + released;
    }
}
