package dev.pacer.aws.priming;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs the AWS SDK calls a function makes on its first event once at start-up, against an in-process HTTP client
 * that answers without a network ({@link CannedHttpClient}): no AWS call is made, nothing is billed, no permission is
 * needed. What the first real call would pay (some 2,500 SDK classes loaded and verified, the request pipeline, the
 * signer, the endpoint rules, the JSON and XML protocols run once) is paid during Lambda's init phase instead, which
 * runs on a full vCPU and which SnapStart keeps in its snapshot; the first event only pays its own round trips.
 */
public final class SdkPriming {

    /** The calls a function can prime: the operations pacer's adapters make, each with the answer it usually gets. */
    public enum Call {
        DYNAMODB_PUT_ITEM,
        DYNAMODB_UPDATE_ITEM,
        DYNAMODB_GET_ITEM,
        /** A job and its idempotency key written together. */
        DYNAMODB_TRANSACT_WRITE_ITEMS,
        /** A conditional write that lost: the error path the ledger and a redelivered job's claim take. */
        DYNAMODB_CONDITIONAL_CHECK_FAILED,
        SQS_SEND_MESSAGE,
        S3_PUT_OBJECT
    }

    /** One primed call: how long it took, how many requests reached the canned client, and what went wrong if anything. */
    public record Step(Call call, Duration took, int requests, Optional<String> failure) {
    }

    /** The function's own start-up work after the SDK calls: building its real clients, warming its caches. */
    @FunctionalInterface
    public interface Warmup {
        void run() throws Exception;
    }

    /**
     * The primed calls, how long priming took in all (the calls and the warm-up) and why the warm-up failed, if it did.
     */
    public record Report(List<Step> steps, Duration took, Optional<String> warmupFailure) {
        public boolean allPrimed() {
            return warmupFailure.isEmpty() && steps.stream().allMatch(step -> step.failure().isEmpty() && step.requests() == 1);
        }

        @Override
        public String toString() {
            return "primed in " + took.toMillis() + " ms; AWS SDK: "
                    + steps.stream().map(s -> s.call() + " " + s.took().toMillis() + " ms" + s.failure().map(f -> " (" + f + ")").orElse(""))
                    .toList()
                    + warmupFailure.map(f -> "; warm-up failed: " + f).orElse("");
        }
    }

    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("PRIMINGPRIMINGPRIMING", "priming"));
    private static final String TABLE = "pacer-priming";
    private static final String MESSAGE = "{\"id\":\"priming\"}";
    private static final Map<String, AttributeValue> ITEM = Map.of(
            "id", AttributeValue.fromS("priming"),
            "status", AttributeValue.fromS("QUEUED"),
            "version", AttributeValue.fromN("1"),
            "images", AttributeValue.fromL(List.of(AttributeValue.fromS("generations/priming/0.png"))),
            "request", AttributeValue.fromM(Map.of("count", AttributeValue.fromN("1"), "urgent", AttributeValue.fromBool(false))));

    private SdkPriming() {
    }

    /** Primes each call in turn; a call that fails is reported, never thrown (priming only saves time). */
    public static Report prime(Set<Call> calls) {
        return prime(calls, () -> { });
    }

    /**
     * Primes each call in turn, then runs the function's own {@code warmup}; what fails is reported, never thrown
     * (priming only saves time: the first event pays for whatever it did not do).
     */
    public static Report prime(Set<Call> calls, Warmup warmup) {
        long began = System.nanoTime();
        List<Step> steps = new ArrayList<>();
        for (Call call : Call.values()) {
            if (calls.contains(call)) {
                steps.add(prime(call));
            }
        }
        Optional<String> warmupFailure;
        try {
            warmup.run();
            warmupFailure = Optional.empty();
        } catch (Exception e) {
            warmupFailure = Optional.of(e.toString());
        }
        return new Report(List.copyOf(steps), Duration.ofNanos(System.nanoTime() - began), warmupFailure);
    }

    private static Step prime(Call call) {
        long began = System.nanoTime();
        CannedHttpClient http = answer(call);
        Optional<String> failure;
        try {
            run(call, http);
            failure = Optional.empty();
        } catch (RuntimeException e) {
            failure = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return new Step(call, Duration.ofNanos(System.nanoTime() - began), http.requests(), failure);
    }

    /** What the service would answer: the bodies and headers the SDK's unmarshallers and checks expect. */
    private static CannedHttpClient answer(Call call) {
        return switch (call) {
            case DYNAMODB_PUT_ITEM, DYNAMODB_UPDATE_ITEM -> json(200, "{\"Attributes\":" + itemJson() + "}");
            case DYNAMODB_GET_ITEM -> json(200, "{\"Item\":" + itemJson() + "}");
            case DYNAMODB_TRANSACT_WRITE_ITEMS -> json(200, "{}");
            case DYNAMODB_CONDITIONAL_CHECK_FAILED -> json(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                    + "\"message\":\"The conditional request failed\",\"Item\":" + itemJson() + "}");
            case SQS_SEND_MESSAGE -> json(200, "{\"MessageId\":\"00000000-0000-0000-0000-000000000000\",\"MD5OfMessageBody\":\"" + md5Hex(MESSAGE) + "\"}");
            case S3_PUT_OBJECT -> new CannedHttpClient(200, Map.of("ETag", "\"" + md5Hex("priming") + "\""), new byte[0]);
        };
    }

    private static void run(Call call, CannedHttpClient http) {
        switch (call) {
            case DYNAMODB_PUT_ITEM -> dynamoDb(http, SdkPriming::putNewItem);
            case DYNAMODB_UPDATE_ITEM -> dynamoDb(http, db -> db.updateItem(update -> update.tableName(TABLE)
                    .key(Map.of("id", ITEM.get("id")))
                    .updateExpression("SET #s = :s, version = version + :one")
                    .conditionExpression("#s = :queued")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("RUNNING"), ":one", AttributeValue.fromN("1"),
                            ":queued", AttributeValue.fromS("QUEUED")))
                    .returnValues(ReturnValue.ALL_NEW)));
            case DYNAMODB_GET_ITEM -> dynamoDb(http, db -> db.getItem(get -> get.tableName(TABLE).key(Map.of("id", ITEM.get("id")))
                    .consistentRead(true)));
            case DYNAMODB_TRANSACT_WRITE_ITEMS -> dynamoDb(http, db -> db.transactWriteItems(write -> write.transactItems(
                    TransactWriteItem.builder().put(put -> put.tableName(TABLE).item(ITEM).conditionExpression("attribute_not_exists(id)")).build(),
                    TransactWriteItem.builder().put(put -> put.tableName(TABLE).item(Map.of("id", AttributeValue.fromS("idempotency#priming")))
                            .conditionExpression("attribute_not_exists(id)")).build())));
            case DYNAMODB_CONDITIONAL_CHECK_FAILED -> dynamoDb(http, db -> {
                try {
                    putNewItem(db);
                    throw new IllegalStateException("the canned conditional check failure was taken for a success");
                } catch (ConditionalCheckFailedException expected) {
                    if (!expected.hasItem()) {
                        throw new IllegalStateException("the conditional check failure carried no item", expected);
                    }
                }
            });
            case SQS_SEND_MESSAGE -> {
                try (SqsClient sqs = SqsClient.builder().region(REGION).credentialsProvider(CREDENTIALS).httpClient(http).build()) {
                    sqs.sendMessage(send -> send.queueUrl("https://sqs.us-east-1.amazonaws.com/000000000000/pacer-priming")
                            .messageBody(MESSAGE).delaySeconds(0));
                }
            }
            case S3_PUT_OBJECT -> {
                try (S3Client s3 = S3Client.builder().region(REGION).credentialsProvider(CREDENTIALS).httpClient(http).build()) {
                    s3.putObject(put -> put.bucket("pacer-priming").key("generations/priming/0.png").contentType("image/png"),
                            RequestBody.fromBytes("priming".getBytes(StandardCharsets.US_ASCII)));
                }
            }
        }
    }

    /** The conditional write of a new item: answered 200 it primes the success path, answered 400 the lost race. */
    private static void putNewItem(DynamoDbClient db) {
        db.putItem(put -> put.tableName(TABLE).item(ITEM).conditionExpression("attribute_not_exists(id)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    private static void dynamoDb(CannedHttpClient http, Consumer<DynamoDbClient> call) {
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder().region(REGION).credentialsProvider(CREDENTIALS).httpClient(http).build()) {
            call.accept(dynamoDb);
        }
    }

    private static CannedHttpClient json(int status, String body) {
        return new CannedHttpClient(status, Map.of("Content-Type", "application/x-amz-json-1.0"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String itemJson() {
        return "{\"id\":{\"S\":\"priming\"},\"status\":{\"S\":\"QUEUED\"},\"version\":{\"N\":\"1\"},"
                + "\"images\":{\"L\":[{\"S\":\"generations/priming/0.png\"}]},\"request\":{\"M\":{\"count\":{\"N\":\"1\"},\"urgent\":{\"BOOL\":false}}}}";
    }

    private static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }
}
