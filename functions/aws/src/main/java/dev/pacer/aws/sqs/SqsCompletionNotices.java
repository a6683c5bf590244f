package dev.pacer.aws.sqs;

import dev.pacer.core.job.JobId;
import dev.pacer.core.port.CompletionNotices;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/**
 * Completion notices on the callbacks queue, which feeds the callback deliverer. A notice names the job like a
 * jobs-queue message ({@link JobMessage}); the job record says where and how far its delivery got.
 */
public final class SqsCompletionNotices implements CompletionNotices {

    private final SqsJobQueue queue;

    public SqsCompletionNotices(SqsClient sqs, String callbacksQueueUrl) {
        this.queue = new SqsJobQueue(sqs, callbacksQueueUrl);
    }

    @Override
    public void jobFinished(JobId id) {
        queue.enqueue(id);
    }

    @Override
    public void retryAfter(JobId id, Duration delay) {
        queue.enqueue(id, delay);
    }
}
