package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.usecase.ProcessGeneration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Opens {@link JobDelivery#handle} to tests in other packages that wire the worker by hand. */
public final class JobDeliveryProbe {

    private final JobDelivery delivery;

    public JobDeliveryProbe(ProcessGeneration process, SqsClient sqs, WorkerConfig config, SqsJobQueue queue, DynamoDbParkedJobs parked) {
        this.delivery = new JobDelivery(process, sqs, config, queue, parked);
    }

    public boolean handle(SQSEvent.SQSMessage message) {
        return delivery.handle(message);
    }
}
