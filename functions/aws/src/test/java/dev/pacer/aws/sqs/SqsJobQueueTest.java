package dev.pacer.aws.sqs;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.JobId;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobQueueContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The jobs queue on moto: the {@link JobQueueContract}, its deliveries read as the worker reads them. */
class SqsJobQueueTest extends JobQueueContract {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Override
    protected JobQueue newQueue() {
        return new SqsJobQueue(moto.clients().sqs(), queueUrl());
    }

    /** Receives until the queue answers nothing, deleting what it received; each body must name a job. */
    @Override
    protected List<JobId> deliveries() {
        List<JobId> delivered = new ArrayList<>();
        List<Message> messages;
        do {
            messages = moto.clients().sqs().receiveMessage(r -> r.queueUrl(queueUrl()).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            for (Message message : messages) {
                delivered.add(JobMessage.parse(message.body()).orElseThrow(() -> new AssertionError("names no job: " + message.body())));
                moto.clients().sqs().deleteMessage(d -> d.queueUrl(queueUrl()).receiptHandle(message.receiptHandle()));
            }
        } while (!messages.isEmpty());
        return delivered;
    }

    @Test
    void bodiesPacerDidNotWriteNameNoJob() {
        assertEquals(Optional.empty(), JobMessage.parse("hello"));
        assertEquals(Optional.empty(), JobMessage.parse("{\"jobId\":\"../../../../etc/passwd-0000-0000-000000000000\"}"));
        assertEquals(Optional.empty(), JobMessage.parse(null));
    }

    private static String queueUrl() {
        return moto.resources().physicalId("JobsQueue");
    }
}
