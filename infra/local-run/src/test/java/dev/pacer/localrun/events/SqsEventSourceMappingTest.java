package dev.pacer.localrun.events;

import dev.pacer.localrun.lambda.FakeFunctions;
import dev.pacer.localrun.lambda.LocalFunction;
import dev.pacer.localrun.moto.MotoWithClients;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import dev.pacer.localrun.template.TestTemplates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsEventSourceMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static MotoWithClients motoWithClients = new MotoWithClients();

    @Test
    void deletesTheSucceededMessagesAndKeepsTheReportedFailure(@TempDir Path records) throws Exception {
        ProvisionedResources resources = TemplateProvisioner.provision(TestTemplates.shapes(), motoWithClients.moto().endpoint(), "partial-");
        String queueUrl = resources.physicalId("JobsQueue");
        for (String body : List.of("ok-1", "fail", "ok-2")) {
            motoWithClients.clients().sqs().sendMessage(s -> s.queueUrl(queueUrl).messageBody(body)
                    .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("test").build())));
        }

        try (LocalFunction worker = FakeFunctions.start("Worker", Duration.ofSeconds(10), 1, Map.of("FAKE_RECORD_DIR", records.toString()));
                SqsEventSourceMapping mapping = new SqsEventSourceMapping(motoWithClients.clients().sqs(), queueUrl, resources.arn("JobsQueue"), worker,
                        4, true, 1, System.out::println)) {
            mapping.start();

            // the template's 4320 s visibility timeout keeps the failed message in flight for the whole test
            awaitTrue(() -> count(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0
                    && count(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 1);
        }
        try (var files = Files.list(records)) {
            JsonNode record = JSON.readTree(files.findFirst().orElseThrow().toFile()).at("/Records/0");
            assertEquals("aws:sqs", record.get("eventSource").asText());
            assertEquals(resources.arn("JobsQueue"), record.get("eventSourceARN").asText());
            assertEquals("us-east-1", record.get("awsRegion").asText());
            assertEquals("1", record.at("/attributes/ApproximateReceiveCount").asText());
            assertTrue(record.at("/attributes/SentTimestamp").asLong() > 0);
            assertTrue(record.at("/attributes/ApproximateFirstReceiveTimestamp").asLong() > 0);
            assertEquals("test", record.at("/messageAttributes/kind/stringValue").asText());
            assertEquals("String", record.at("/messageAttributes/kind/dataType").asText());
            assertEquals(32, record.get("md5OfBody").asText().length());
            assertTrue(!record.get("receiptHandle").asText().isEmpty());
        }
    }

    @Test
    void anInvocationErrorDeletesNothingAndTheQueueRedrivesToTheDeadLetterQueue() throws Exception {
        // a short visibility timeout so re-delivery happens within the test; redrive after two receives
        String dlqUrl = motoWithClients.clients().sqs().createQueue(c -> c.queueName("crash-dlq")).queueUrl();
        String dlqArn = motoWithClients.clients().sqs().getQueueAttributes(g -> g.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queueUrl = motoWithClients.clients().sqs().createQueue(c -> c.queueName("crash").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}"))).queueUrl();
        String queueArn = motoWithClients.clients().sqs().getQueueAttributes(g -> g.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        motoWithClients.clients().sqs().sendMessage(s -> s.queueUrl(queueUrl).messageBody("crash"));

        try (LocalFunction worker = FakeFunctions.start("Crashing", Duration.ofSeconds(10), 2, Map.of());
                SqsEventSourceMapping mapping = new SqsEventSourceMapping(motoWithClients.clients().sqs(), queueUrl, queueArn, worker, 4, true, 2,
                        System.out::println)) {
            mapping.start();

            awaitTrue(() -> count(dlqUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 1);
        }
        assertEquals(0, count(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + count(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static int count(String queueUrl, QueueAttributeName attribute) {
        return Integer.parseInt(motoWithClients.clients().sqs().getQueueAttributes(g -> g.queueUrl(queueUrl).attributeNames(attribute))
                .attributes().get(attribute));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(100);
        }
    }
}
