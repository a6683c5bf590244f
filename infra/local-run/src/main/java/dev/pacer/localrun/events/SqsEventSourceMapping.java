package dev.pacer.localrun.events;

import dev.pacer.localrun.lambda.LocalFunction;
import dev.pacer.localrun.moto.AwsClients;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping: pollers long-poll the queue, hand each batch to the function as the real SQS event
 * and delete what succeeded. With ReportBatchItemFailures only the reported items stay; on an invocation error or
 * timeout nothing is deleted. Re-delivery after the visibility timeout and the move to the dead-letter queue are the
 * queue's own (moto's) behaviour, as in AWS. One poller per allowed concurrent invocation (MaximumConcurrency).
 */
public final class SqsEventSourceMapping implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Short enough that closing the mapping is quick, long enough not to spin. */
    private static final int WAIT_TIME_SECONDS = 2;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final LocalFunction function;
    private final int batchSize;
    private final boolean reportBatchItemFailures;
    private final Consumer<String> log;
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean running = true;

    public SqsEventSourceMapping(SqsClient sqs, String queueUrl, String queueArn, LocalFunction function, int batchSize,
            boolean reportBatchItemFailures, int maximumConcurrency, Consumer<String> log) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.function = function;
        // ReceiveMessage returns at most 10; Lambda's larger batches need a batching window we do not emulate
        this.batchSize = Math.max(1, Math.min(10, batchSize));
        this.reportBatchItemFailures = reportBatchItemFailures;
        this.log = log;
        for (int i = 1; i <= maximumConcurrency; i++) {
            Thread poller = new Thread(this::poll, "sqs-poller-" + function.name() + "-" + i);
            poller.setDaemon(true);
            pollers.add(poller);
        }
    }

    public void start() {
        pollers.forEach(Thread::start);
    }

    private void poll() {
        while (running) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                        .maxNumberOfMessages(batchSize)
                        .waitTimeSeconds(WAIT_TIME_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
            } catch (SdkException e) {
                if (running) {
                    log.accept("[" + function.name() + " SQS poller] receive failed: " + e.getMessage());
                    pause();
                }
                continue;
            }
            if (!messages.isEmpty()) {
                deliver(messages);
            }
        }
    }

    private void deliver(List<Message> messages) {
        Set<String> failed;
        try {
            byte[] result = function.invoke(JSON.writeValueAsBytes(event(messages, queueArn))).get();
            failed = reportBatchItemFailures ? failedItems(result, messages) : Set.of();
        } catch (ExecutionException e) {
            log.accept("[" + function.name() + " SQS poller] invocation failed, the batch of " + messages.size()
                    + " returns to the queue after its visibility timeout: " + e.getCause().getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<DeleteMessageBatchRequestEntry> succeeded = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                succeeded.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(succeeded.size())).receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!succeeded.isEmpty()) {
            sqs.deleteMessageBatch(d -> d.queueUrl(queueUrl).entries(succeeded));
        }
    }

    /**
     * The message ids the function reported as failed. An empty or null response means all succeeded; a report
     * naming an unknown or empty id fails the whole batch, as Lambda does.
     */
    private static Set<String> failedItems(byte[] result, List<Message> messages) {
        Set<String> all = new HashSet<>();
        messages.forEach(m -> all.add(m.messageId()));
        JsonNode response;
        try {
            response = result.length == 0 ? null : JSON.readTree(result);
        } catch (java.io.IOException notJson) {
            return Set.of();
        }
        if (response == null || !response.has("batchItemFailures") || response.get("batchItemFailures").isNull()) {
            return Set.of();
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode item : response.get("batchItemFailures")) {
            String id = item.path("itemIdentifier").asText("");
            if (!all.contains(id)) {
                return all;
            }
            failed.add(id);
        }
        return failed;
    }

    /** The SQS event Lambda's event source mapping hands a function for {@code messages} of the queue {@code queueArn}. */
    public static ObjectNode event(List<Message> messages, String queueArn) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributesAsStrings().forEach(attributes::put);
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            message.messageAttributes().forEach((name, value) -> messageAttributes.set(name, messageAttribute(value)));
            record.put("md5OfBody", message.md5OfBody());
            if (message.md5OfMessageAttributes() != null) {
                record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
            }
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", AwsClients.REGION);
        }
        return event;
    }

    private static ObjectNode messageAttribute(MessageAttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        if (value.stringValue() != null) {
            node.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            node.put("binaryValue", java.util.Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        }
        node.putArray("stringListValues");
        node.putArray("binaryListValues");
        node.put("dataType", value.dataType());
        return node;
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread poller : pollers) {
            poller.interrupt();
        }
        for (Thread poller : pollers) {
            try {
                poller.join((WAIT_TIME_SECONDS + 1) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
