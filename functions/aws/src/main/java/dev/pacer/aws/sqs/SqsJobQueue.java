package dev.pacer.aws.sqs;

import dev.pacer.core.job.JobId;
import dev.pacer.core.port.JobQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The jobs queue in SQS; the worker is subscribed to it by an event source mapping. */
public final class SqsJobQueue implements JobQueue {

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
}
