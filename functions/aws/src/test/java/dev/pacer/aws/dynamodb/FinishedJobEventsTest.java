package dev.pacer.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.template.CloudFormationTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The EventBridge pipes cannot run locally, so their two halves are checked here on real stream records: moto's
 * stream of the jobs table (created with the template's StreamSpecification) after real transitions made by the
 * job store, run through each pipe's filter pattern and input template as template.yaml states them.
 */
class FinishedJobEventsTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Pattern PLACEHOLDER = Pattern.compile("<\\$\\.([A-Za-z0-9_.]+)>");

    @Test
    void eachJobThatEndsGivesExactlyOneCleanEventAndNoOtherWriteGivesAny() throws Exception {
        DynamoDbJobStore store = new DynamoDbJobStore(moto.clients().dynamoDb(), moto.resources().physicalId("JobsTable"), Duration.ofDays(1));
        Job succeeded = job(2).withCallback(URI.create("https://hooks.example.com/x"));
        store.create(succeeded);
        store.claim(succeeded.id(), T0, T0.plusSeconds(60));
        store.markSucceeded(succeeded.id(), List.of(new StoredImage("generations/a/0.png", "image/png", 10)), Optional.empty(), List.of(), T0.plusSeconds(13));
        store.recordCallback(succeeded.id(), succeeded.callback().orElseThrow().afterAttempt(Optional.of(200), Optional.empty(), T0));
        Job retriedThenFailed = job(1);
        store.create(retriedThenFailed);
        store.claim(retriedThenFailed.id(), T0, T0.plusSeconds(60));
        store.release(retriedThenFailed.id(), new JobError("provider_unavailable", "503"), List.of(), T0);
        store.claim(retriedThenFailed.id(), T0, T0.plusSeconds(60));
        store.markFailed(retriedThenFailed.id(), new JobError("safety_block", "IMAGE_SAFETY: \"blocked\""), T0.plusSeconds(20));
        Job neverQueued = job(1);
        store.create(neverQueued);
        store.markFailed(neverQueued.id(), new JobError("enqueue_failed", "submit it again"), T0);
        Job stillRunning = job(1);
        store.create(stillRunning);
        store.claim(stillRunning.id(), T0, T0.plusSeconds(60));
        Job cancelledWhileQueued = job(1);
        store.create(cancelledWhileQueued);
        store.cancel(cancelledWhileQueued.id(), T0.plusSeconds(5));
        Job cancelledInsteadOfARetry = job(1).withCallback(URI.create("https://hooks.example.com/y"));
        store.create(cancelledInsteadOfARetry);
        store.claim(cancelledInsteadOfARetry.id(), T0, T0.plusSeconds(60));
        store.requestCancel(cancelledInsteadOfARetry.id(), T0.plusSeconds(1));
        store.release(cancelledInsteadOfARetry.id(), new JobError("provider_unavailable", "503"), List.of(), T0.plusSeconds(2));
        store.cancelInsteadOfRetry(cancelledInsteadOfARetry.id(), List.of(), T0.plusSeconds(7));
        store.recordCallback(cancelledInsteadOfARetry.id(),
                cancelledInsteadOfARetry.callback().orElseThrow().afterAttempt(Optional.of(204), Optional.empty(), T0));

        List<JsonNode> records = streamRecords();
        Map<String, Object> succeededPipe = pipe("SucceededOrCancelledJobsPipe");
        Map<String, Object> failedPipe = pipe("FailedJobsPipe");

        List<JsonNode> succeededEvents = events(succeededPipe, records);
        List<JsonNode> failedEvents = events(failedPipe, records);

        assertEquals(3, succeededEvents.size(), succeededEvents::toString);
        assertEquals(JSON.readTree("{\"id\":\"" + succeeded.id() + "\",\"status\":\"SUCCEEDED\",\"model\":\"gemini-3.1-flash-image\","
                + "\"resolution\":\"2K\",\"count\":\"2\",\"createdAt\":\"2026-11-27T10:00:00Z\",\"finishedAt\":\"2026-11-27T10:00:13Z\"}"),
                succeededEvents.get(0));
        assertEquals(JSON.readTree("{\"id\":\"" + cancelledWhileQueued.id() + "\",\"status\":\"CANCELLED\","
                + "\"model\":\"gemini-3.1-flash-image\",\"resolution\":\"2K\",\"count\":\"1\",\"createdAt\":\"2026-11-27T10:00:00Z\","
                + "\"finishedAt\":\"2026-11-27T10:00:05Z\"}"), succeededEvents.get(1));
        assertEquals(List.of(cancelledInsteadOfARetry.id().value(), "CANCELLED", "2026-11-27T10:00:07Z"), List.of(
                succeededEvents.get(2).get("id").asText(), succeededEvents.get(2).get("status").asText(),
                succeededEvents.get(2).get("finishedAt").asText()), "once, not again for its callback's delivery");
        assertEquals(List.of(retriedThenFailed.id().value(), neverQueued.id().value()),
                failedEvents.stream().map(event -> event.get("id").asText()).toList());
        assertEquals(JSON.readTree("{\"type\":\"safety_block\",\"message\":\"IMAGE_SAFETY: \\\"blocked\\\"\"}"), failedEvents.get(0).get("error"));
        assertEquals("FAILED", failedEvents.get(0).get("status").asText());
        for (Map<String, Object> pipe : List.of(succeededPipe, failedPipe)) {
            Map<?, ?> target = (Map<?, ?>) ((Map<?, ?>) pipe.get("TargetParameters")).get("EventBridgeEventBusParameters");
            assertEquals("pacer", target.get("Source"));
            assertEquals("pacer.generation.finished", target.get("DetailType"));
        }
    }

    /** The details one pipe would publish for these records. */
    private static List<JsonNode> events(Map<String, Object> pipe, List<JsonNode> records) throws Exception {
        Map<?, ?> source = (Map<?, ?>) pipe.get("SourceParameters");
        List<?> filters = (List<?>) ((Map<?, ?>) source.get("FilterCriteria")).get("Filters");
        JsonNode pattern = JSON.readTree(String.valueOf(((Map<?, ?>) filters.get(0)).get("Pattern")));
        String template = String.valueOf(((Map<?, ?>) pipe.get("TargetParameters")).get("InputTemplate"));
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode record : records) {
            if (matches(pattern, record)) {
                events.add(JSON.readTree(render(template, record)));
            }
        }
        return events;
    }

    /** EventBridge pattern matching, the part the pipes use: nested fields, lists of values, anything-but. */
    private static boolean matches(JsonNode pattern, JsonNode event) {
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) pattern::fields) {
            JsonNode value = event.get(field.getKey());
            if (value == null) {
                return false;
            }
            if (field.getValue().isObject()) {
                if (!matches(field.getValue(), value)) {
                    return false;
                }
                continue;
            }
            boolean any = false;
            for (JsonNode allowed : field.getValue()) {
                if (allowed.isObject() && allowed.has("anything-but")) {
                    boolean excluded = false;
                    for (JsonNode no : allowed.get("anything-but")) {
                        excluded |= no.asText().equals(value.asText());
                    }
                    any |= !excluded;
                } else {
                    any |= allowed.asText().equals(value.asText());
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** Each {@code <$.path>} (all of them quoted in these templates) becomes the JSON-escaped text at that path. */
    private static String render(String template, JsonNode record) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            JsonNode node = record;
            for (String step : matcher.group(1).split("\\.")) {
                node = node.path(step);
            }
            if (node.isMissingNode()) {
                throw new AssertionError("the template names " + matcher.group(1) + ", which this record lacks: " + record);
            }
            String quoted = JSON.valueToTree(node.asText()).toString();
            matcher.appendReplacement(out, Matcher.quoteReplacement(quoted.substring(1, quoted.length() - 1)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static Map<String, Object> pipe(String logicalId) {
        return CloudFormationTemplate.load().resources().get(logicalId).properties();
    }

    /** Every record of the jobs table's stream, in the JSON shape a pipe receives. */
    private static List<JsonNode> streamRecords() {
        String streamArn = moto.clients().dynamoDb().describeTable(d -> d.tableName(moto.resources().physicalId("JobsTable")))
                .table().latestStreamArn();
        List<JsonNode> records = new ArrayList<>();
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
                .endpointOverride(moto.server().endpoint())
                .region(Region.of(AwsClients.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsClients.ACCESS_KEY_ID, AwsClients.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            for (var shard : streams.describeStream(d -> d.streamArn(streamArn)).streamDescription().shards()) {
                String iterator = streams.getShardIterator(g -> g.streamArn(streamArn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                for (Record record : streams.getRecords(g -> g.shardIterator(iterator)).records()) {
                    ObjectNode json = JsonNodeFactory.instance.objectNode();
                    json.put("eventName", record.eventNameAsString());
                    ObjectNode dynamodb = json.putObject("dynamodb");
                    dynamodb.set("NewImage", typed(record.dynamodb().newImage()));
                    dynamodb.set("OldImage", typed(record.dynamodb().oldImage()));
                    records.add(json);
                }
            }
        }
        return records;
    }

    /** DynamoDB's typed JSON ({"S": ...}, {"N": ...}, {"M": {...}}, {"L": [...]}), as stream events carry items. */
    private static ObjectNode typed(Map<String, AttributeValue> item) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (item != null) {
            item.forEach((name, value) -> node.set(name, typed(value)));
        }
        return node;
    }

    private static JsonNode typed(AttributeValue value) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case BOOL -> node.put("BOOL", value.bool());
            case M -> node.set("M", typed(value.m()));
            case L -> node.set("L", JsonNodeFactory.instance.arrayNode().addAll(value.l().stream().map(FinishedJobEventsTest::typed).toList()));
            default -> node.put("NULL", true);
        }
        return node;
    }

    private static Job job(int count) {
        return Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.TWO_K, "1:1",
                count, Map.of()), T0);
    }
}
