package dev.pacer.aws.sqs;

import dev.pacer.core.job.JobId;
import dev.pacer.core.port.JobQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/** The jobs queue in SQS; the worker is subscribed to it by an event source mapping. */
public final class SqsJobQueue implements JobQueue {

    /** The longest DelaySeconds SQS accepts. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsJobQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(JobId id) {
        sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(JobMessage.body(id)));
    }

    /** Sends the job again, delivered after {@code delay} (rounded up to whole seconds; SQS allows at most 15 minutes). */
    public void enqueue(JobId id, Duration delay) {
        long seconds = Math.max(0, (delay.toMillis() + 999) / 1000);
        if (seconds > MAX_DELAY.toSeconds()) {
            throw new IllegalArgumentException("SQS delays a message by at most 15 minutes, not " + delay);
        }
        sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(JobMessage.body(id)).delaySeconds((int) seconds));
    }
}
