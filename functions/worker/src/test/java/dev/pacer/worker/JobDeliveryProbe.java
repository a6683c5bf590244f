package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.runtime.SharedConfig;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;

/** Opens {@link JobDelivery#handle} to tests in other packages that wire the worker by hand. */
public final class JobDeliveryProbe {

    private final JobDelivery delivery;

    public JobDeliveryProbe(ProcessGeneration process, SqsClient sqs, SharedConfig shared, GenerationConfig config, SqsJobQueue queue,
            DynamoDbParkedJobs parked) {
        this.delivery = new JobDelivery(process, sqs, shared, config, queue, parked, Clock.systemUTC());
    }

    public boolean handle(SQSEvent.SQSMessage message) {
        return delivery.handle(message);
    }
}
