package dev.pacer.bench.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.localrun.events.SqsEventSourceMapping;
import dev.pacer.localrun.lambda.FunctionDefinition;
import dev.pacer.localrun.lambda.FunctionEnvironment;
import dev.pacer.localrun.lambda.LocalFunction;
import dev.pacer.localrun.lambda.PackagedFunction;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.RepositoryRoot;
import dev.pacer.localrun.template.TemplateProvisioner;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The packaged functions run as infra/local-run runs them (function.zip unpacked, Lambda's runtime interface client,
 * a local Runtime API), against moto with template.yaml's resources, one instance at a time, so a benchmark can time
 * a cold start and hand each function the event it gets in AWS: a payload-2.0 POST for the intake, an SQS batch for
 * the worker.
 */
public final class PackagedRun implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String INTAKE = "IntakeFunction";
    static final String WORKER = "WorkerFunction";

    private final MotoServer moto;
    private final AwsClients clients;
    private final CloudFormationTemplate template;
    private final ProvisionedResources resources;

    private PackagedRun(MotoServer moto) {
        this.moto = moto;
        this.clients = AwsClients.forEndpoint(moto.endpoint());
        this.template = CloudFormationTemplate.load();
        this.resources = TemplateProvisioner.provision(template, moto.endpoint(), "pacer-bench-");
    }

    public static PackagedRun start() {
        MotoServer moto = MotoServer.start();
        try {
            return new PackagedRun(moto);
        } catch (RuntimeException e) {
            moto.close();
            throw e;
        }
    }

    FunctionDefinition definition(String logicalId) {
        return FunctionDefinition.from(template, logicalId);
    }

    /**
     * A function of the template with another MemorySize (the heap follows it, as in Lambda's java21 runtime) and
     * Timeout: on a loaded benchmark machine a first event may outlast the intake's 15 s, which is not what is measured.
     */
    FunctionDefinition adjusted(FunctionDefinition function, int memoryMb, Duration timeout) {
        return new FunctionDefinition(function.logicalId(), function.codeUri(), function.handler(), timeout, memoryMb,
                function.environment(), function.events());
    }

    /**
     * A function that is not in the template, packaged under bench/, run with the same handler, timeout, memory and
     * environment as {@code like} (JAVA_TOOL_OPTIONS from Globals shapes the JVM's start; pacer's variables it ignores).
     */
    FunctionDefinition outsideTemplate(String name, String module, FunctionDefinition like) {
        Path zip = RepositoryRoot.locate().resolve("bench").resolve(module).resolve("target").resolve("function.zip");
        return new FunctionDefinition(name, zip, like.handler(), like.timeout(), like.memoryMb(), like.environment(), Map.of());
    }

    /** One execution environment at most, started on demand: the first invoke (or prewarm) is the cold start. */
    LocalFunction function(FunctionDefinition definition, Map<String, String> extras, boolean quiet) {
        return function(definition, extras, line -> {
            if (!quiet) {
                System.out.println(line);
            }
        });
    }

    /** The same, with every line the function writes handed to {@code log}. */
    LocalFunction function(FunctionDefinition definition, Map<String, String> extras, java.util.function.Consumer<String> log) {
        Map<String, String> env = FunctionEnvironment.of(template, definition, resources, extras);
        return new LocalFunction(PackagedFunction.launch(definition, env), 1, log);
    }

    /** The template's value of a Globals environment variable for functions (JAVA_TOOL_OPTIONS), or empty. */
    String globalVariable(FunctionDefinition definition, String name) {
        Object value = definition.environment().get(name);
        return value == null ? "" : template.resolveToString(value, resources);
    }

    /** A queue of this run's emulator outside the template, for a baseline to send to without feeding the worker's. */
    String scratchQueue(String name) {
        return clients.sqs().createQueue(create -> create.queueName(name)).queueUrl();
    }

    /** POST /v1/generations as API Gateway (payload 2.0, IAM-authorised) hands it to the intake. */
    static byte[] submitEvent(String resolution, int count) {
        return submitEvent(null, resolution, count);
    }

    /** The same for another model than the fixture's ({@code null}: the fixture's). */
    static byte[] submitEvent(String model, String resolution, int count) {
        try (InputStream in = PackagedRun.class.getResourceAsStream("/events/submit-generation.json")) {
            ObjectNode event = (ObjectNode) JSON.readTree(in);
            ((ObjectNode) event.get("headers")).put("idempotency-key", UUID.randomUUID().toString());
            ((ObjectNode) event.get("requestContext")).put("requestId", UUID.randomUUID().toString());
            ObjectNode body = (ObjectNode) JSON.readTree(event.get("body").asText());
            body.put("resolution", resolution).put("count", count);
            if (model != null) {
                body.put("model", model);
            }
            event.put("body", JSON.writeValueAsString(body));
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The response's statusCode and the job id in its body. */
    static String acceptedJobId(byte[] response) {
        try {
            JsonNode answer = JSON.readTree(response);
            if (answer.path("statusCode").asInt() != 202) {
                throw new IllegalStateException("the intake did not accept the job: " + new String(response, StandardCharsets.UTF_8));
            }
            return JSON.readTree(answer.path("body").asText()).path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The job message the intake sent, taken off the queue and wrapped as the event source mapping would (the fields
     * the worker reads: messageId, receiptHandle, body, ApproximateReceiveCount, the source queue).
     */
    byte[] nextJobEvent() {
        return jobEvent(jobMessages(1, Duration.ofSeconds(10)));
    }

    /** Up to {@code count} job messages, as many as arrive within {@code wait}. */
    List<Message> jobMessages(int count, Duration wait) {
        String queueUrl = resources.physicalId("JobsQueue");
        List<Message> messages = new java.util.ArrayList<>();
        long until = System.nanoTime() + wait.toNanos();
        while (messages.size() < count && System.nanoTime() < until) {
            int waitSeconds = (int) Math.max(1, Math.min(10, Duration.ofNanos(until - System.nanoTime()).toSeconds()));
            messages.addAll(clients.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(count - messages.size())
                    .waitTimeSeconds(waitSeconds).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages());
        }
        if (messages.isEmpty() && count == 1) {
            throw new IllegalStateException("no job message on " + queueUrl);
        }
        return messages;
    }

    /** Job messages as one SQS batch event, the way the event source mapping hands them to the worker. */
    byte[] jobEvent(List<Message> messages) {
        ObjectNode event = SqsEventSourceMapping.event(messages, resources.arn("JobsQueue"));
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job's status in the jobs table, read consistently. */
    String jobStatus(String jobId) {
        var item = jobItem(jobId);
        return item.containsKey("status") ? item.get("status").s() : "(no status in " + item.keySet() + ")";
    }

    /** The job's item in the jobs table, read consistently. */
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> jobItem(String jobId) {
        return clients.dynamoDb().getItem(g -> g.tableName(resources.physicalId("JobsTable")).consistentRead(true)
                .key(Map.of("id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(jobId)))).item();
    }

    static byte[] invoke(LocalFunction function, byte[] event, Duration timeout) {
        try {
            return function.invoke(event).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(function.name() + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(function.name() + " did not answer within " + timeout, e);
        }
    }

    @Override
    public void close() {
        clients.close();
        moto.close();
    }
}
