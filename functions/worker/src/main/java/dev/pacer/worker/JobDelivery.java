package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.job.JobId;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.core.usecase.ProcessingResult;
import dev.pacer.runtime.SharedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One SQS message: which job it names, what processing it came to, and whether SQS should deliver it again. */
@ApplicationScoped
public class JobDelivery {

    private static final Logger LOG = Logger.getLogger(JobDelivery.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

    private final ProcessGeneration processGeneration;
    private final SqsClient sqs;
    private final GenerationConfig config;
    private final String queueUrl;
    private final SqsJobQueue queue;
    private final DynamoDbParkedJobs parked;
    private final Clock clock;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "job-delivery");
        thread.setDaemon(true);
        return thread;
    });

    public JobDelivery(ProcessGeneration processGeneration, SqsClient sqs, SharedConfig shared, GenerationConfig config,
            SqsJobQueue queue, DynamoDbParkedJobs parked, Clock clock) {
        this.processGeneration = processGeneration;
        this.sqs = sqs;
        this.config = config;
        this.queueUrl = shared.jobsQueueUrl();
        this.clock = clock;
        this.queue = queue;
        this.parked = parked;
    }

    ExecutorService executor() {
        return executor;
    }

    /** True when the message is done with; false when SQS must deliver it again. */
    boolean handle(SQSEvent.SQSMessage message) {
        Optional<JobId> id = JobMessage.parse(message.getBody());
        if (id.isEmpty()) {
            // Not a message pacer wrote: let redrive move it to the dead-letter queue for a person to look at.
            LOG.errorf("message %s names no job; leaving it for the dead-letter queue", message.getMessageId());
            return false;
        }
        MDC.put("jobId", id.get().value()); // on every log line about this job, JSON-formatted in CloudWatch Logs
        try {
            ProcessingResult result = processGeneration.process(id.get());
            if (result instanceof ProcessingResult.WaitForQuota wait) {
                comeBackAt(id.get(), wait.until());
                LOG.infof("job %s waits for quota until %s: %s", id.get(), wait.until(), wait.reason());
                return true;
            }
            if (result instanceof ProcessingResult.RetryLater retry) {
                Duration backoff = retry.notBefore()
                        .filter(asked -> asked.compareTo(backoff(receiveCount(message))) > 0)
                        .map(asked -> asked.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : asked)
                        .orElse(backoff(receiveCount(message)));
                LOG.infof("job %s will be retried in %s: %s", id.get(), backoff, retry.reason());
                deferRedelivery(message, backoff);
                return false;
            }
            LOG.infof("job %s: %s", id.get(), result);
            return true;
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: attempt failed, SQS will deliver it again", id.get());
            return false;
        } finally {
            MDC.remove("jobId");
        }
    }

    /**
     * Waiting for quota is not a failed delivery: this message is acknowledged (so it never counts toward the
     * dead-letter queue's maxReceiveCount) and a new one is sent, delayed until the window opens. A wait longer
     * than SQS can delay (an exhausted RPD) parks the job where the scheduled release runs, which re-sends it
     * when it is due; elsewhere the job comes back after 15 minutes and waits again.
     */
    private void comeBackAt(JobId id, Instant until) {
        Duration wait = Duration.between(clock.instant(), until);
        if (wait.compareTo(SqsJobQueue.MAX_DELAY) <= 0) {
            queue.enqueue(id, wait.isNegative() ? Duration.ZERO : wait);
        } else if (config.parkLongWaits()) {
            parked.park(id, until);
        } else {
            queue.enqueue(id, SqsJobQueue.MAX_DELAY);
        }
    }

    /** The queue's own visibility (6 × the Lambda timeout) is for crashes; a known retry waits far less. */
    private void deferRedelivery(SQSEvent.SQSMessage message, Duration backoff) {
        try {
            sqs.changeMessageVisibility(change -> change.queueUrl(queueUrl)
                    .receiptHandle(message.getReceiptHandle())
                    .visibilityTimeout((int) backoff.toSeconds()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not shorten the visibility of message %s; it returns after the queue's visibility timeout",
                    message.getMessageId());
        }
    }

    Duration backoff(int receiveCount) {
        Duration backoff = config.retryBackoff().multipliedBy(1L << Math.min(Math.max(receiveCount - 1, 0), 16));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
