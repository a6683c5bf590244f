package dev.pacer.aws.sqs;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.JobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqsJobQueueTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Test
    void enqueuedJobArrivesAsAMessageNamingIt() {
        String queueUrl = moto.resources().physicalId("JobsQueue");
        JobId id = JobId.random();

        new SqsJobQueue(moto.clients().sqs(), queueUrl).enqueue(id);

        var messages = moto.clients().sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(2)).messages();
        assertEquals(1, messages.size());
        assertEquals(Optional.of(id), JobMessage.parse(messages.get(0).body()));
    }

    @Test
    void bodiesPacerDidNotWriteNameNoJob() {
        assertEquals(Optional.empty(), JobMessage.parse("hello"));
        assertEquals(Optional.empty(), JobMessage.parse("{\"jobId\":\"../../../../etc/passwd-0000-0000-000000000000\"}"));
        assertEquals(Optional.empty(), JobMessage.parse(null));
    }
}
