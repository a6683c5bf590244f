package dev.pacer.localrun.template;

import dev.pacer.localrun.moto.AwsClients;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the template's DynamoDB tables, SQS queues and S3 buckets in an emulator, from the template's own
 * definitions: key schemas, TTL, streams, queue attributes and redrive policies are read, never restated here. Physical names
 * are the prefix plus the logical id. Running it twice against the same emulator reuses what exists.
 */
public final class TemplateProvisioner {

    public static final String DEFAULT_PREFIX = "pacer-local-";

    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String QUEUE = "AWS::SQS::Queue";
    public static final String BUCKET = "AWS::S3::Bucket";
    private static final List<String> PROVISIONED_TYPES = List.of(TABLE, QUEUE, BUCKET);

    /** CloudFormation queue properties that are SQS attributes of the same name. */
    private static final List<String> QUEUE_ATTRIBUTES = List.of("VisibilityTimeout", "MessageRetentionPeriod",
            "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "MaximumMessageSize", "RedrivePolicy", "FifoQueue",
            "ContentBasedDeduplication");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloudFormationTemplate template;
    private final AwsClients clients;
    private final String prefix;

    private TemplateProvisioner(CloudFormationTemplate template, AwsClients clients, String prefix) {
        this.template = template;
        this.clients = clients;
        this.prefix = prefix;
    }

    /** Provisions this checkout's template.yaml with the default prefix. */
    public static ProvisionedResources provision(URI endpoint) {
        return provision(endpoint, DEFAULT_PREFIX);
    }

    /** A distinct prefix lets several tests share one emulator without seeing each other's data. */
    public static ProvisionedResources provision(URI endpoint, String prefix) {
        return provision(CloudFormationTemplate.load(), endpoint, prefix);
    }

    public static ProvisionedResources provision(CloudFormationTemplate template, URI endpoint, String prefix) {
        try (AwsClients clients = AwsClients.forEndpoint(endpoint)) {
            return new TemplateProvisioner(template, clients, prefix).provisionAll(endpoint);
        }
    }

    private ProvisionedResources provisionAll(URI endpoint) {
        Map<String, ProvisionedResource> created = new LinkedHashMap<>();
        List<TemplateResource> pending = new ArrayList<>(template.resources().values().stream()
                .filter(r -> PROVISIONED_TYPES.contains(r.type())).toList());
        // dependencies first (a queue's redrive names its dead-letter queue's ARN): take whatever is ready, repeat
        while (!pending.isEmpty()) {
            TemplateResource ready = pending.stream()
                    .filter(r -> created.keySet().containsAll(template.referencedResources(r.properties())))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("unresolvable references among " + pending.stream()
                            .map(TemplateResource::logicalId).toList()));
            pending.remove(ready);
            Map<String, Object> properties = resolvedProperties(ready, new ProvisionedResources(endpoint, created));
            ProvisionedResource resource = switch (ready.type()) {
                case TABLE -> createTable(ready.logicalId(), properties);
                case QUEUE -> createQueue(ready.logicalId(), properties);
                default -> createBucket(ready.logicalId());
            };
            created.put(resource.logicalId(), resource);
        }
        return new ProvisionedResources(endpoint, created);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resolvedProperties(TemplateResource resource, ProvisionedResources soFar) {
        return (Map<String, Object>) template.resolve(resource.properties(), soFar);
    }

    private ProvisionedResource createTable(String logicalId, Map<String, Object> p) {
        String name = prefix + logicalId;
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .keySchema(keySchema(p.get("KeySchema")))
                .attributeDefinitions(maps(p.get("AttributeDefinitions")).stream()
                        .map(a -> AttributeDefinition.builder()
                                .attributeName(string(a, "AttributeName"))
                                .attributeType(string(a, "AttributeType"))
                                .build())
                        .toList());
        String billingMode = p.containsKey("BillingMode") ? String.valueOf(p.get("BillingMode")) : "PROVISIONED";
        request.billingMode(billingMode);
        boolean provisioned = billingMode.equals("PROVISIONED");
        if (provisioned) {
            request.provisionedThroughput(throughput(p.get("ProvisionedThroughput")));
        }
        Map<String, Object> stream = CloudFormationTemplate.optionalMap(p.get("StreamSpecification"));
        if (stream.containsKey("StreamViewType")) {
            request.streamSpecification(s -> s.streamEnabled(true).streamViewType(string(stream, "StreamViewType")));
        }
        List<Map<String, Object>> globalIndexes = maps(p.get("GlobalSecondaryIndexes"));
        if (!globalIndexes.isEmpty()) {
            request.globalSecondaryIndexes(globalIndexes.stream().map(index -> {
                GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                        .indexName(string(index, "IndexName"))
                        .keySchema(keySchema(index.get("KeySchema")))
                        .projection(projection(index.get("Projection")));
                if (provisioned) {
                    gsi.provisionedThroughput(throughput(index.get("ProvisionedThroughput")));
                }
                return gsi.build();
            }).toList());
        }
        List<Map<String, Object>> localIndexes = maps(p.get("LocalSecondaryIndexes"));
        if (!localIndexes.isEmpty()) {
            request.localSecondaryIndexes(localIndexes.stream().map(index -> LocalSecondaryIndex.builder()
                    .indexName(string(index, "IndexName"))
                    .keySchema(keySchema(index.get("KeySchema")))
                    .projection(projection(index.get("Projection")))
                    .build()).toList());
        }
        try {
            clients.dynamoDb().createTable(request.build());
        } catch (ResourceInUseException exists) {
            // provisioned by an earlier run against the same emulator
        }
        Map<String, Object> ttl = CloudFormationTemplate.optionalMap(p.get("TimeToLiveSpecification"));
        if (Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))) {
            clients.dynamoDb().updateTimeToLive(u -> u.tableName(name)
                    .timeToLiveSpecification(t -> t.attributeName(string(ttl, "AttributeName")).enabled(true)));
        }
        String arn = clients.dynamoDb().describeTable(d -> d.tableName(name)).table().tableArn();
        return new ProvisionedResource(logicalId, TABLE, name, arn);
    }

    private ProvisionedResource createQueue(String logicalId, Map<String, Object> p) {
        boolean fifo = Boolean.parseBoolean(String.valueOf(p.get("FifoQueue")));
        // SQS requires the .fifo suffix on FIFO queue names
        String name = prefix + logicalId + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        for (String attribute : QUEUE_ATTRIBUTES) {
            Object value = p.get(attribute);
            if (value != null) {
                attributes.put(QueueAttributeName.fromValue(attribute), value instanceof Map<?, ?> ? json(value) : String.valueOf(value));
            }
        }
        String url = clients.sqs().createQueue(c -> c.queueName(name).attributes(attributes)).queueUrl();
        // moto answers CreateQueue for an existing queue without applying attributes; set them explicitly
        Map<QueueAttributeName, String> settable = new LinkedHashMap<>(attributes);
        settable.remove(QueueAttributeName.FIFO_QUEUE);
        if (!settable.isEmpty()) {
            clients.sqs().setQueueAttributes(s -> s.queueUrl(url).attributes(settable));
        }
        String arn = clients.sqs().getQueueAttributes(g -> g.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new ProvisionedResource(logicalId, QUEUE, url, arn);
    }

    private ProvisionedResource createBucket(String logicalId) {
        // bucket names must be lowercase DNS labels
        String name = (prefix + logicalId).toLowerCase(Locale.ROOT);
        try {
            clients.s3().createBucket(c -> c.bucket(name));
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException exists) {
            // provisioned by an earlier run against the same emulator
        }
        return new ProvisionedResource(logicalId, BUCKET, name, "arn:aws:s3:::" + name);
    }

    private static List<KeySchemaElement> keySchema(Object value) {
        return maps(value).stream()
                .map(k -> KeySchemaElement.builder().attributeName(string(k, "AttributeName")).keyType(string(k, "KeyType")).build())
                .toList();
    }

    private static Projection projection(Object value) {
        Map<String, Object> p = CloudFormationTemplate.optionalMap(value);
        Projection.Builder projection = Projection.builder().projectionType(p.containsKey("ProjectionType") ? string(p, "ProjectionType") : "ALL");
        if (p.get("NonKeyAttributes") instanceof List<?> attributes) {
            projection.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
        }
        return projection.build();
    }

    private static ProvisionedThroughput throughput(Object value) {
        Map<String, Object> t = CloudFormationTemplate.optionalMap(value);
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(String.valueOf(t.getOrDefault("ReadCapacityUnits", 5))))
                .writeCapacityUnits(Long.parseLong(String.valueOf(t.getOrDefault("WriteCapacityUnits", 5))))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(item -> (Map<String, Object>) item).toList();
        }
        return List.of();
    }

    private static String string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key + " in " + map);
        }
        return String.valueOf(value);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
