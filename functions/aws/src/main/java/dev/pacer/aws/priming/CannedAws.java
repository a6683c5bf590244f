package dev.pacer.aws.priming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SDK HTTP client that never opens a connection and answers like DynamoDB, SQS and S3 would, for the operations
 * pacer's adapters make. It keeps the DynamoDB items written to it, so a read answers with what the adapter wrote and a
 * conditional put of an item that exists fails as the service's would ({@code attribute_not_exists} is the one
 * condition it evaluates; any other passes). Only {@link SdkPriming} uses it, to run the adapters without AWS.
 */
final class CannedAws implements SdkHttpClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String SQS = "AmazonSQS.";
    private static final String CONDITIONAL_CHECK_FAILED = "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException";

    /** Each table's key attributes, as template.yaml declares them. */
    private final Map<String, List<String>> keySchemas;
    private final Map<String, List<ObjectNode>> tables = new LinkedHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    CannedAws(Map<String, List<String>> keySchemas) {
        this.keySchemas = Map.copyOf(keySchemas);
    }

    /** How many requests the SDK handed to this client so far. */
    int requests() {
        return requests.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                requests.incrementAndGet();
                byte[] body = request.contentStreamProvider().map(content -> read(content.newStream())).orElse(new byte[0]);
                Answer answer = answer(request.httpRequest(), body);
                SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(answer.status())
                        .putHeader("Content-Length", Integer.toString(answer.body().length));
                answer.headers().forEach(response::putHeader);
                return HttpExecuteResponse.builder().response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body()))).build();
            }

            @Override
            public void abort() {
                // nothing is in flight
            }
        };
    }

    private record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer json(int status, JsonNode body) {
            try {
                return new Answer(status, Map.of("Content-Type", "application/x-amz-json-1.0"), JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Answer answer(SdkHttpRequest request, byte[] body) {
        String target = request.firstMatchingHeader("X-Amz-Target").orElse("");
        if (target.startsWith(DYNAMODB)) {
            return dynamoDb(target.substring(DYNAMODB.length()), parse(body));
        }
        if (target.startsWith(SQS)) {
            return sqs(target.substring(SQS.length()), parse(body));
        }
        return s3(request, body);
    }

    private Answer dynamoDb(String operation, JsonNode request) {
        ObjectNode answer = JSON.createObjectNode();
        switch (operation) {
            case "PutItem" -> {
                String table = request.path("TableName").asText();
                Optional<ObjectNode> existing = find(table, (ObjectNode) request.path("Item"));
                if (existing.isPresent() && forbidsExisting(request)) {
                    return Answer.json(400, JSON.createObjectNode().put("__type", CONDITIONAL_CHECK_FAILED)
                            .put("message", "The conditional request failed").set("Item", existing.get()));
                }
                put(table, (ObjectNode) request.path("Item"));
            }
            case "GetItem" -> find(request.path("TableName").asText(), (ObjectNode) request.path("Key"))
                    .ifPresent(item -> answer.set("Item", item));
            case "UpdateItem" -> {
                Optional<ObjectNode> item = find(request.path("TableName").asText(), (ObjectNode) request.path("Key"));
                if (item.isEmpty()) {
                    return Answer.json(400, JSON.createObjectNode().put("__type", CONDITIONAL_CHECK_FAILED)
                            .put("message", "The conditional request failed"));
                }
                if (request.path("ReturnValues").asText("NONE").startsWith("ALL")) {
                    answer.set("Attributes", item.get());
                }
            }
            case "TransactWriteItems" -> {
                List<ObjectNode> puts = new ArrayList<>();
                ArrayNode reasons = JSON.createArrayNode();
                boolean cancelled = false;
                for (JsonNode write : request.path("TransactItems")) {
                    JsonNode put = write.path("Put");
                    boolean conflict = put.isObject()
                            && find(put.path("TableName").asText(), (ObjectNode) put.path("Item")).isPresent() && forbidsExisting(put);
                    reasons.addObject().put("Code", conflict ? "ConditionalCheckFailed" : "None");
                    cancelled |= conflict;
                    if (put.isObject()) {
                        puts.add((ObjectNode) put);
                    }
                }
                if (cancelled) {
                    ObjectNode error = JSON.createObjectNode().put("__type", "com.amazonaws.dynamodb.v20120810#TransactionCanceledException")
                            .put("message", "Transaction cancelled, please refer cancellation reasons for specific reasons");
                    error.set("CancellationReasons", reasons);
                    return Answer.json(400, error);
                }
                puts.forEach(put -> put(put.path("TableName").asText(), (ObjectNode) put.path("Item")));
            }
            default -> throw new IllegalArgumentException("the canned DynamoDB does not answer " + operation);
        }
        return Answer.json(200, answer);
    }

    private static boolean forbidsExisting(JsonNode write) {
        return write.path("ConditionExpression").asText().startsWith("attribute_not_exists(");
    }

    private Optional<ObjectNode> find(String table, ObjectNode keyOrItem) {
        List<String> key = keySchema(table);
        return tables.getOrDefault(table, List.of()).stream()
                .filter(item -> key.stream().allMatch(name -> item.path(name).equals(keyOrItem.path(name))))
                .findFirst();
    }

    private void put(String table, ObjectNode item) {
        List<ObjectNode> items = tables.computeIfAbsent(table, t -> new ArrayList<>());
        find(table, item).ifPresent(items::remove);
        items.add(item.deepCopy());
    }

    private List<String> keySchema(String table) {
        List<String> key = keySchemas.get(table);
        if (key == null) {
            throw new IllegalArgumentException("the canned DynamoDB has no table " + table);
        }
        return key;
    }

    private static Answer sqs(String operation, JsonNode request) {
        if (!operation.equals("SendMessage")) {
            throw new IllegalArgumentException("the canned SQS does not answer " + operation);
        }
        return Answer.json(200, JSON.createObjectNode()
                .put("MessageId", "00000000-0000-0000-0000-000000000000")
                .put("MD5OfMessageBody", md5Hex(request.path("MessageBody").asText().getBytes(StandardCharsets.UTF_8))));
    }

    private static Answer s3(SdkHttpRequest request, byte[] body) {
        if (!request.method().name().equals("PUT")) {
            throw new IllegalArgumentException("the canned S3 does not answer " + request.method() + " " + request.encodedPath());
        }
        return new Answer(200, Map.of("ETag", "\"" + md5Hex(payload(request, body)) + "\""), new byte[0]);
    }

    /**
     * The object's bytes: the SDK sends them {@code aws-chunked} (each chunk's size in hex, a line break, the bytes, a
     * line break; a last chunk of size 0 and the checksum trailer) when it adds a checksum, else as they are.
     */
    private static byte[] payload(SdkHttpRequest request, byte[] body) {
        boolean chunked = request.firstMatchingHeader("Content-Encoding").filter(e -> e.contains("aws-chunked")).isPresent()
                || request.firstMatchingHeader("x-amz-content-sha256").filter(h -> h.startsWith("STREAMING-")).isPresent();
        if (!chunked) {
            return body;
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = indexOf(body, at);
            String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                break;
            }
            payload.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return payload.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("an aws-chunked body without a line break");
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }

    @Override
    public String clientName() {
        return "pacer-priming";
    }

    @Override
    public void close() {
        // holds nothing that needs closing
    }
}
