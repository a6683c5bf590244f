package dev.pacer.providers.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gemini's Batch API on a loopback port, speaking its REST wire: {@code models/{m}:batchGenerateContent} (inline
 * requests or a file), the resumable Files API upload (its headers checked as Google checks them), {@code batches}
 * listed in pages, a batch polled as a long-running operation, {@code :cancel}, and the responses file download.
 *
 * <p>A test moves a batch along ({@link #state}, {@link #finish}, {@link #expire}). {@link #finish} answers each
 * request by the {@code [case:NAME]} marker in its prompt, like {@link FakeProviderServer}: a 200 fixture of the sync
 * fake ({@code success}, {@code finish-image-safety}, {@code prompt-blocked}, …) is the response;
 * {@code error-N} is a line error with gRPC code N ({@code error-8} RESOURCE_EXHAUSTED with a per-day QuotaFailure);
 * {@code missing} has no line at all; {@code large-4k} answers with {@link FakeProviderServer#largeImage()}, whose 35 million
 * base64 characters are more than a parser takes as one string. Inline batches answer inline, file batches with a
 * responses file.
 *
 * <p>For a whole local run ({@code tests/}), one base URL may serve an account on both lanes: {@code
 * models/{m}:generateContent}, the sync call, is answered by the same fixtures ({@link #syncCalls}), and
 * {@link #finishAfter} finishes a batch by itself once it is that old when it is polled.
 */
public final class FakeGeminiBatch extends FakeBatchServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CASE = Pattern.compile("\\[case:([A-Za-z0-9-]+)]");
    private static final Pattern MODEL_CREATE = Pattern.compile("^/v1beta/models/([^/:]+):batchGenerateContent$");
    private static final Pattern MODEL_GENERATE = Pattern.compile("^/v1beta/models/([^/:]+):generateContent$");
    private static final Pattern BATCH = Pattern.compile("^/v1beta/(batches/[A-Za-z0-9-]+)(:cancel)?$");
    private static final Pattern DOWNLOAD = Pattern.compile("^/download/v1beta/(files/[A-Za-z0-9-]+):download$");

    /** How states are spelled: the REST reference's {@code BATCH_STATE_*}, or the SDKs' {@code JOB_STATE_*}. */
    public enum Spelling { BATCH_STATE_, JOB_STATE_ }

    /** A batch as the fake keeps it. */
    public static final class Batch {
        public final String name;
        public final String displayName;
        public final String model;
        public final boolean fromFile;
        /** The uploaded file it was created from, when it was. */
        public volatile String inputFile;
        /** {@code {"key", "request"}} per request, in input order. */
        public final List<JsonNode> requests;
        final Instant created;
        volatile String state = "PENDING";
        volatile List<ObjectNode> answers = List.of();
        volatile String responsesFile;

        Batch(String name, String displayName, String model, boolean fromFile, List<JsonNode> requests, Instant created) {
            this.name = name;
            this.displayName = displayName;
            this.model = model;
            this.fromFile = fromFile;
            this.requests = requests;
            this.created = created;
        }
    }

    private final Map<String, Batch> batches = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, long[]> uploads = new LinkedHashMap<>();
    private final Map<String, String> uploadNames = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Spelling spelling = Spelling.BATCH_STATE_;
    private volatile int pageSize = 100;
    private volatile boolean inlinedAsList;
    private volatile int holdAfterLines = -1;
    private volatile int brokenLine = -1;
    private volatile CountDownLatch hold;
    private final AtomicBoolean releasedWhileSending = new AtomicBoolean();
    private volatile java.time.Duration finishAfter;
    private final AtomicInteger syncCalls = new AtomicInteger();

    private FakeGeminiBatch() {
    }

    public static FakeGeminiBatch start() {
        return new FakeGeminiBatch();
    }

    /** A pending batch polled {@code age} or more after it was made succeeds then, as {@link #finish} makes it. */
    public void finishAfter(java.time.Duration age) {
        this.finishAfter = age;
    }

    /** The sync {@code :generateContent} calls answered. */
    public int syncCalls() {
        return syncCalls.get();
    }

    public void spelling(Spelling spelling) {
        this.spelling = spelling;
    }

    /** How many batches a list page holds (the API's pageSize is a maximum). */
    public void pageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Inlined responses as a bare list, {@code "inlinedResponses": […]}, instead of the reference's nested object. */
    public void inlinedAsList(boolean asList) {
        this.inlinedAsList = asList;
    }

    /**
     * The next responses file download stops after {@code lines} lines until {@code released} is counted down (10 s
     * at most); {@link #releasedWhileSending()} then tells whether it was, while the rest was still unsent.
     */
    public void holdResultsAfter(int lines, CountDownLatch released) {
        this.hold = released;
        this.holdAfterLines = lines;
    }

    /** The responses file's line {@code index} (from 0) comes with an image that is not base64. */
    public void breakLine(int index) {
        this.brokenLine = index;
    }

    public boolean releasedWhileSending() {
        return releasedWhileSending.get();
    }

    public synchronized Batch batch(String name) {
        return batches.get(name);
    }

    public synchronized List<Batch> batches() {
        return List.copyOf(batches.values());
    }

    public synchronized byte[] file(String name) {
        return files.get(name);
    }

    /** Adds a batch nobody created through the API (another user of the project's key). */
    public synchronized Batch seed(String displayName, String state) {
        Batch batch = new Batch("batches/" + id(), displayName, "gemini-3.1-flash-image", false, List.of(), Instant.now().plusMillis(ids.get()));
        batch.state = state;
        batches.put(batch.name, batch);
        return batch;
    }

    /** Sets the state, named without its prefix: {@code RUNNING}, {@code FAILED}, {@code CANCELLED}, … */
    public void state(String name, String state) {
        batch(name).state = state;
    }

    /** The batch succeeds; every request is answered by its prompt's case. */
    public void finish(String name) {
        Batch batch = batch(name);
        List<ObjectNode> answers = new ArrayList<>();
        for (JsonNode request : batch.requests) {
            ObjectNode answer = answer(request);
            if (answer != null) {
                answers.add(answer);
            }
        }
        batch.answers = answers;
        if (batch.fromFile) {
            batch.responsesFile = "files/results-" + id();
        }
        batch.state = "SUCCEEDED";
    }

    /** 48 h passed: EXPIRED, with no answers. */
    public void expire(String name) {
        batch(name).state = "EXPIRED";
    }

    private ObjectNode answer(JsonNode request) {
        String prompt = "";
        for (JsonNode part : request.path("request").path("contents").path(0).path("parts")) {
            if (part.has("text")) {
                prompt = part.path("text").asText("");
                break;
            }
        }
        Matcher marker = CASE.matcher(prompt);
        String name = marker.find() ? marker.group(1) : "success";
        if (name.equals("missing")) {
            return null;
        }
        ObjectNode answer = JSON.createObjectNode();
        if (name.startsWith("error-")) {
            int code = Integer.parseInt(name.substring("error-".length()));
            ObjectNode error = answer.putObject("error").put("code", code).put("message", "line failed with code " + code);
            if (code == 8) {
                ArrayNode details = error.putArray("details");
                details.addObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure").putArray("violations").addObject()
                        .put("quotaMetric", "generativelanguage.googleapis.com/generate_requests_per_model_per_day")
                        .put("quotaId", "GenerateRequestsPerDayPerProjectPerModel");
                details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", "30s");
            }
        } else if (name.equals("large-4k")) {
            ObjectNode response = answer.putObject("response");
            ObjectNode candidate = response.putArray("candidates").addObject().put("finishReason", "STOP");
            candidate.putObject("content").put("role", "model").putArray("parts").addObject().putObject("inlineData")
                    .put("mimeType", "image/png").put("data", java.util.Base64.getEncoder().encodeToString(FakeProviderServer.largeImage()));
            response.putObject("usageMetadata").put("promptTokenCount", 11).put("candidatesTokenCount", 2000).put("totalTokenCount", 2011);
        } else {
            try {
                answer.set("response", JSON.readTree(fixture("gemini", name).orElseThrow(() -> new IllegalArgumentException("no gemini fixture " + name))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        answer.put("key", request.path("key").asText());
        return answer;
    }

    @Override
    void answer(HttpExchange exchange, Received received) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = received.method();
        Matcher create = MODEL_CREATE.matcher(path);
        Matcher batch = BATCH.matcher(path);
        Matcher download = DOWNLOAD.matcher(path);
        Matcher generate = MODEL_GENERATE.matcher(path);
        if (method.equals("POST") && generate.matches()) {
            // the sync lane: the request's own answer, a 200 fixture of the sync fake chosen by the prompt's case
            ObjectNode answer = answer(JSON.createObjectNode().put("key", "sync").set("request", JSON.readTree(received.body())));
            syncCalls.incrementAndGet();
            if (answer == null || !answer.has("response")) {
                send(exchange, 500, error(500, "INTERNAL", "the fake answers the sync call with success fixtures only"));
            } else {
                send(exchange, 200, answer.get("response").toString());
            }
            return;
        }
        if (method.equals("POST") && create.matches()) {
            created(exchange, create.group(1), JSON.readTree(received.body()));
        } else if (method.equals("POST") && path.equals("/upload/v1beta/files")) {
            upload(exchange, received);
        } else if (method.equals("GET") && path.equals("/v1beta/batches")) {
            list(exchange, query(exchange));
        } else if (method.equals("GET") && batch.matches() && batch.group(2) == null) {
            Batch found = batch(batch.group(1));
            java.time.Duration age = finishAfter;
            if (found != null && age != null && found.state.equals("PENDING") && !found.created.plus(age).isAfter(Instant.now())) {
                finish(found.name);
            }
            if (found == null) {
                send(exchange, 404, error(404, "NOT_FOUND", "batch not found"));
            } else {
                send(exchange, 200, operation(found, true).toString());
            }
        } else if (method.equals("POST") && batch.matches() && batch.group(2) != null) {
            batch(batch.group(1)).state = "CANCELLED";
            send(exchange, 200, "{}");
        } else if (method.equals("GET") && download.matches() && "alt=media".equals(exchange.getRequestURI().getQuery())) {
            download(exchange, download.group(1));
        } else {
            send(exchange, 404, error(404, "NOT_FOUND", "no such path in the fake: " + method + " " + path));
        }
    }

    private void created(HttpExchange exchange, String model, JsonNode body) throws IOException {
        JsonNode batchNode = body.path("batch");
        JsonNode input = batchNode.path("input_config");
        String displayName = batchNode.path("display_name").asText("");
        if (displayName.isEmpty()) {
            send(exchange, 400, error(400, "INVALID_ARGUMENT", "batch.display_name is required"));
            return;
        }
        List<JsonNode> requests = new ArrayList<>();
        boolean fromFile = input.has("file_name");
        if (fromFile) {
            byte[] file = file(input.path("file_name").asText());
            if (file == null) {
                send(exchange, 400, error(400, "INVALID_ARGUMENT", "no such file"));
                return;
            }
            for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    requests.add(JSON.readTree(line));
                }
            }
        } else {
            for (JsonNode inlined : input.path("requests").path("requests")) {
                ObjectNode request = JSON.createObjectNode().put("key", inlined.path("metadata").path("key").asText());
                request.set("request", inlined.path("request"));
                requests.add(request);
            }
        }
        for (JsonNode request : requests) {
            if (!wellFormed(request.path("request"))) {
                send(exchange, 400, error(400, "INVALID_ARGUMENT", "request " + request.path("key").asText() + ": each part takes one of text "
                        + "or inlineData {mimeType, data (base64)}"));
                return;
            }
        }
        Batch batch;
        synchronized (this) {
            batch = new Batch("batches/" + id(), displayName, model, fromFile, requests, Instant.now().plusMillis(ids.get()));
            batch.inputFile = fromFile ? input.path("file_name").asText() : null;
            batches.put(batch.name, batch);
        }
        send(exchange, 200, operation(batch, false).toString());
    }

    /** Each part of the request is a {@code text}, or an {@code inlineData} of an image type with base64 {@code data}. */
    private static boolean wellFormed(JsonNode request) {
        JsonNode parts = request.path("contents").path(0).path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            return false;
        }
        for (JsonNode part : parts) {
            if (part.size() != 1) {
                return false;
            }
            if (part.has("inlineData")) {
                JsonNode inline = part.path("inlineData");
                if (!inline.path("mimeType").asText("").startsWith("image/") || !inline.path("data").isTextual()) {
                    return false;
                }
                try {
                    java.util.Base64.getDecoder().decode(inline.path("data").asText());
                } catch (IllegalArgumentException notBase64) {
                    return false;
                }
            } else if (!part.path("text").isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** The resumable protocol: a start call with the X-Goog-Upload-* headers, then the bytes with "upload, finalize". */
    private void upload(HttpExchange exchange, Received received) throws IOException {
        String uploadId = query(exchange).get("upload_id");
        if (uploadId == null) {
            if (!"resumable".equals(received.header("X-Goog-Upload-Protocol")) || !"start".equals(received.header("X-Goog-Upload-Command"))
                    || received.header("X-Goog-Upload-Header-Content-Length") == null || received.header("X-Goog-Upload-Header-Content-Type") == null) {
                send(exchange, 400, error(400, "INVALID_ARGUMENT", "not a resumable upload start"));
                return;
            }
            String id = "up-" + id();
            synchronized (this) {
                uploads.put(id, new long[] {Long.parseLong(received.header("X-Goog-Upload-Header-Content-Length"))});
                uploadNames.put(id, JSON.readTree(received.body()).path("file").path("display_name").asText(""));
            }
            exchange.getResponseHeaders().add("X-Goog-Upload-URL", baseUrl() + "/upload/v1beta/files?upload_id=" + id + "&upload_protocol=resumable");
            exchange.getResponseHeaders().add("X-Goog-Upload-Status", "active");
            send(exchange, 200, "");
            return;
        }
        long[] declared;
        synchronized (this) {
            declared = uploads.get(uploadId);
        }
        if (declared == null || !"upload, finalize".equals(received.header("X-Goog-Upload-Command"))
                || !"0".equals(received.header("X-Goog-Upload-Offset")) || declared[0] != received.body().length) {
            send(exchange, 400, error(400, "INVALID_ARGUMENT", "not the upload that was started"));
            return;
        }
        String name = "files/" + id();
        synchronized (this) {
            files.put(name, received.body());
        }
        ObjectNode file = JSON.createObjectNode();
        file.putObject("file").put("name", name).put("displayName", uploadNames.get(uploadId)).put("mimeType", "application/jsonl")
                .put("sizeBytes", Long.toString(declared[0])).put("state", "ACTIVE");
        send(exchange, 200, file.toString());
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<Batch> all = batches();
        int from = query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken").replace("page-", "")) : 0;
        int size = Math.min(pageSize, Integer.parseInt(query.getOrDefault("pageSize", "100")));
        ObjectNode page = JSON.createObjectNode();
        ArrayNode operations = page.putArray("operations");
        for (int i = from; i < Math.min(all.size(), from + size); i++) {
            operations.add(operation(all.get(i), true));
        }
        if (from + size < all.size()) {
            page.put("nextPageToken", "page-" + (from + size));
        }
        send(exchange, 200, page.toString());
    }

    private ObjectNode operation(Batch batch, boolean withOutput) {
        ObjectNode operation = JSON.createObjectNode().put("name", batch.name);
        ObjectNode metadata = operation.putObject("metadata")
                .put("@type", "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch")
                .put("model", "models/" + batch.model)
                .put("displayName", batch.displayName)
                .put("createTime", batch.created.toString())
                .put("updateTime", Instant.now().toString());
        long succeeded = batch.answers.stream().filter(a -> a.has("response")).count();
        long failed = batch.answers.stream().filter(a -> a.has("error")).count();
        metadata.putObject("batchStats")
                .put("requestCount", Integer.toString(batch.requests.size()))
                .put("successfulRequestCount", Long.toString(succeeded))
                .put("failedRequestCount", Long.toString(failed))
                .put("pendingRequestCount", Long.toString(batch.requests.size() - succeeded - failed));
        metadata.put("state", spelling.name() + batch.state);
        boolean done = !batch.state.equals("PENDING") && !batch.state.equals("RUNNING");
        operation.put("done", done);
        if (done && withOutput && batch.state.equals("SUCCEEDED")) {
            ObjectNode response = operation.putObject("response")
                    .put("@type", "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatchOutput");
            if (batch.responsesFile != null) {
                response.put("responsesFile", batch.responsesFile);
            } else {
                ArrayNode list = inlinedAsList ? response.putArray("inlinedResponses") : response.putObject("inlinedResponses").putArray("inlinedResponses");
                for (ObjectNode answer : batch.answers) {
                    ObjectNode inlined = answer.deepCopy();
                    inlined.remove("key");
                    inlined.putObject("metadata").put("key", answer.path("key").asText());
                    list.add(inlined);
                }
            }
        } else if (done && !batch.state.equals("SUCCEEDED")) {
            operation.putObject("error").put("code", batch.state.equals("CANCELLED") ? 1 : 4).put("message", "batch " + batch.state.toLowerCase());
        }
        return operation;
    }

    /** The responses file, written a line at a time as the client reads it. */
    private void download(HttpExchange exchange, String file) throws IOException {
        Batch batch = batches().stream().filter(b -> file.equals(b.responsesFile)).findFirst().orElse(null);
        if (batch == null) {
            send(exchange, 404, error(404, "NOT_FOUND", "no such file"));
            return;
        }
        CountDownLatch released = hold;
        int holdAt = holdAfterLines;
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            int written = 0;
            for (ObjectNode answer : batch.answers) {
                if (written == holdAt && released != null) {
                    out.flush();
                    try {
                        boolean wasReleased = released.await(10, TimeUnit.SECONDS);
                        releasedWhileSending.set(wasReleased);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                String line = written == brokenLine
                        ? "{\"key\":\"" + answer.path("key").asText() + "\",\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":"
                        + "{\"mimeType\":\"image/png\",\"data\":\"!!! not base64 !!!\"}}]}}]}}"
                        : answer.toString();
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                written++;
            }
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return query;
    }

    /** Google's error body: {@code {"error": {"code", "message", "status"}}}. */
    public static String error(int code, String status, String message) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\"}}";
    }

    private int id() {
        return ids.incrementAndGet();
    }
}
