package dev.pacer.providers.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's Batch API on a loopback port: {@code POST /v1/files} (multipart, {@code purpose=batch}, the JSONL checked
 * line by line), {@code POST /v1/batches}, {@code GET /v1/batches} in pages ({@code limit}, {@code after},
 * {@code has_more}), {@code GET /v1/batches/{id}} (a batch's endpoint {@code /v1/images/generations} or
 * {@code /v1/images/edits}, every line's {@code url} the same, an edit line's body the endpoint's JSON form), {@code POST /v1/batches/{id}/cancel} and
 * {@code GET /v1/files/{id}/content}.
 *
 * <p>A test moves a batch along ({@link #status}, {@link #finish}, {@link #expire}, {@link #cancelled}). Each line is
 * answered by the {@code [case:NAME]} marker in its prompt: a fixture of the sync fake under
 * {@code fake-providers/openai/} (a name starting with a status, {@code 400-moderation-blocked}, answers with it, in the
 * error file); {@code line-error} is a line refused without a response.
 */
public final class FakeOpenAiBatch extends FakeBatchServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CASE = Pattern.compile("\\[case:([A-Za-z0-9-]+)]");
    private static final Pattern STATUS = Pattern.compile("^(\\d{3})-.*$");
    private static final Pattern BATCH = Pattern.compile("^/v1/batches/(batch_[A-Za-z0-9]+)(/cancel)?$");
    private static final Pattern DATA_URL = Pattern.compile("^data:(image/(?:png|jpeg|webp));base64,([A-Za-z0-9+/=]+)$");
    private static final java.util.Set<String> ENDPOINTS = java.util.Set.of("/v1/images/generations", "/v1/images/edits");
    private static final Pattern CONTENT = Pattern.compile("^/v1/files/(file-[A-Za-z0-9]+)/content$");

    private final Map<String, ObjectNode> batches = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int pageSize = 100;

    private FakeOpenAiBatch() {
    }

    /** The most batches a list page holds, whatever {@code limit} asks. */
    public void pageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public static FakeOpenAiBatch start() {
        return new FakeOpenAiBatch();
    }

    public synchronized ObjectNode batch(String id) {
        return batches.get(id);
    }

    public synchronized byte[] file(String id) {
        return files.get(id);
    }

    /** The input file's lines of a batch, parsed. */
    public List<JsonNode> inputLines(String batchId) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(file(batch(batchId).path("input_file_id").asText()), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return lines;
    }

    /** Adds a batch nobody created through this test (another user of the organisation). */
    public synchronized ObjectNode seed(String displayName, String status) {
        ObjectNode batch = newBatch("file-none", displayName, 0);
        batch.put("status", status);
        return batch;
    }

    public void status(String id, String status) {
        batch(id).put("status", status);
    }

    /** Completed: every line answered by its prompt's case. */
    public void finish(String id) {
        answer(id, Integer.MAX_VALUE, null, "completed");
    }

    /** Expired after {@code finished} lines: those are answered, the rest are in the error file as batch_expired. */
    public void expire(String id, int finished) {
        answer(id, finished, "batch_expired", "expired");
    }

    /** Cancelled after {@code finished} lines. */
    public void cancelled(String id, int finished) {
        answer(id, finished, "batch_cancelled", "cancelled");
    }

    /** The input file was refused: the batch failed, with no files. */
    public void failed(String id) {
        ObjectNode batch = batch(id);
        batch.put("status", "failed");
        batch.putObject("errors").put("object", "list").putArray("data").addObject()
                .put("code", "invalid_json_line").put("message", "line 1 is not valid JSON").put("line", 1);
    }

    /** Over the organization's enqueued-token limit: the create was accepted, the batch failed in validation. */
    public void tokenLimitExceeded(String id) {
        ObjectNode batch = batch(id);
        batch.put("status", "failed");
        batch.putObject("errors").put("object", "list").putArray("data").addObject()
                .put("code", "token_limit_exceeded")
                .put("message", "Enqueued token limit reached for gpt-image-1.5 in organization org-fake. Limit: 2,000,000 enqueued tokens. "
                        + "Please try again once some in_progress batches have been completed.")
                .putNull("param").putNull("line");
    }

    private void answer(String id, int finished, String unrunCode, String status) {
        ObjectNode batch = batch(id);
        StringBuilder output = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        int completed = 0;
        int failed = 0;
        int n = 0;
        for (JsonNode line : inputLines(id)) {
            String customId = line.path("custom_id").asText();
            ObjectNode result = JSON.createObjectNode().put("id", "batch_req_" + id()).put("custom_id", customId);
            if (n++ >= finished) {
                result.putNull("response");
                result.putObject("error").put("code", unrunCode)
                        .put("message", "This request could not be executed before the completion window expired.");
                errors.append(result).append('\n');
                continue;
            }
            String prompt = line.path("body").path("prompt").asText("");
            Matcher marker = CASE.matcher(prompt);
            String name = marker.find() ? marker.group(1) : "success";
            if (name.equals("line-error")) {
                result.putNull("response");
                result.putObject("error").put("code", "invalid_request").put("message", "the line's body is not a valid request");
                errors.append(result).append('\n');
                failed++;
                continue;
            }
            Matcher statusMatch = STATUS.matcher(name);
            int code = statusMatch.matches() ? Integer.parseInt(statusMatch.group(1)) : 200;
            ObjectNode response = result.putObject("response").put("status_code", code).put("request_id", "req_" + id());
            try {
                response.set("body", JSON.readTree(fixture("openai", name).orElseThrow(() -> new IllegalArgumentException("no openai fixture " + name))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            result.putNull("error");
            if (code == 200) {
                output.append(result).append('\n');
                completed++;
            } else {
                errors.append(result).append('\n');
                failed++;
            }
        }
        synchronized (this) {
            if (!output.isEmpty()) {
                String file = "file-" + id();
                files.put(file, output.toString().getBytes(StandardCharsets.UTF_8));
                batch.put("output_file_id", file);
            }
            if (!errors.isEmpty()) {
                String file = "file-" + id();
                files.put(file, errors.toString().getBytes(StandardCharsets.UTF_8));
                batch.put("error_file_id", file);
            }
        }
        batch.putObject("request_counts").put("total", n).put("completed", completed).put("failed", failed);
        batch.put("status", status);
    }

    @Override
    void answer(HttpExchange exchange, Received received) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = received.method();
        String auth = received.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            send(exchange, 401, error("invalid_api_key", "invalid_request_error", "You didn't provide an API key."));
            return;
        }
        Matcher batch = BATCH.matcher(path);
        Matcher content = CONTENT.matcher(path);
        if (method.equals("POST") && path.equals("/v1/files")) {
            upload(exchange, received);
        } else if (method.equals("POST") && path.equals("/v1/batches")) {
            create(exchange, JSON.readTree(received.body()));
        } else if (method.equals("GET") && path.equals("/v1/batches")) {
            list(exchange, exchange.getRequestURI().getQuery());
        } else if (batch.matches()) {
            ObjectNode found = batch(batch.group(1));
            if (found == null) {
                send(exchange, 404, error(null, "invalid_request_error", "No batch found with id '" + batch.group(1) + "'."));
            } else if (method.equals("POST") && batch.group(2) != null) {
                found.put("status", "cancelling");
                send(exchange, 200, found.toString());
            } else {
                send(exchange, 200, found.toString());
            }
        } else if (method.equals("GET") && content.matches()) {
            byte[] bytes = file(content.group(1));
            if (bytes == null) {
                send(exchange, 404, error(null, "invalid_request_error", "No such File object: " + content.group(1)));
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } else {
            send(exchange, 404, error(null, "invalid_request_error", "Invalid URL (" + method + " " + path + ")"));
        }
    }

    /** {@code multipart/form-data}: a {@code purpose} field and a {@code file} part with a file name. */
    private void upload(HttpExchange exchange, Received received) throws IOException {
        String type = received.header("Content-Type");
        if (type == null || !type.startsWith("multipart/form-data; boundary=")) {
            send(exchange, 400, error(null, "invalid_request_error", "expected multipart/form-data"));
            return;
        }
        String boundary = "--" + type.substring("multipart/form-data; boundary=".length());
        String body = new String(received.body(), StandardCharsets.UTF_8);
        String purpose = null;
        String file = null;
        for (String part : body.split(Pattern.quote(boundary))) {
            int split = part.indexOf("\r\n\r\n");
            if (split < 0) {
                continue;
            }
            String headers = part.substring(0, split);
            String value = part.substring(split + 4, part.length() - 2);
            if (headers.contains("name=\"purpose\"")) {
                purpose = value;
            } else if (headers.contains("name=\"file\"") && headers.contains("filename=\"")) {
                file = value;
            }
        }
        if (!"batch".equals(purpose) || file == null) {
            send(exchange, 400, error(null, "invalid_request_error", "purpose must be batch, with a file"));
            return;
        }
        for (String line : file.split("\n")) {
            JsonNode json = JSON.readTree(line);
            if (!json.path("custom_id").isTextual() || !"POST".equals(json.path("method").asText()) || !json.path("body").isObject()
                    || !wellFormed(json.path("url").asText(""), json.path("body"))) {
                send(exchange, 400, error(null, "invalid_request_error", "not a batch input line: " + abbreviated(line)));
                return;
            }
        }
        String id = "file-" + id();
        synchronized (this) {
            files.put(id, file.getBytes(StandardCharsets.UTF_8));
        }
        send(exchange, 200, JSON.createObjectNode().put("id", id).put("object", "file").put("bytes", file.length())
                .put("created_at", 1795766400L + ids.get()).put("filename", "input.jsonl").put("purpose", "batch").toString());
    }

    /**
     * A generation's body has no images; an edit's is the JSON form of {@code /v1/images/edits}: {@code images}, 1 to
     * 16 references each with exactly one of {@code image_url} (here a base64 data URL) or {@code file_id}, an
     * optional {@code mask} reference, and no multipart {@code image} field.
     */
    private static boolean wellFormed(String url, JsonNode body) {
        if (url.equals("/v1/images/generations")) {
            return !body.has("images") && !body.has("mask") && !body.has("input_fidelity");
        }
        if (!url.equals("/v1/images/edits") || body.has("image") || !body.path("images").isArray() || body.path("images").isEmpty()
                || body.path("images").size() > 16 || !body.path("prompt").isTextual()) {
            return false;
        }
        for (JsonNode ref : body.path("images")) {
            if (!reference(ref)) {
                return false;
            }
        }
        return !body.has("mask") || reference(body.path("mask"));
    }

    private static boolean reference(JsonNode ref) {
        if (ref.has("image_url") == ref.has("file_id")) {
            return false;
        }
        if (ref.has("file_id")) {
            return ref.path("file_id").isTextual();
        }
        Matcher data = DATA_URL.matcher(ref.path("image_url").asText(""));
        if (!data.matches()) {
            return false;
        }
        try {
            java.util.Base64.getDecoder().decode(data.group(2));
            return true;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** The bytes of a {@code data:<type>;base64,…} URL. */
    public static byte[] dataUrlBytes(String url) {
        Matcher data = DATA_URL.matcher(url);
        if (!data.matches()) {
            throw new IllegalArgumentException("not a base64 data URL: " + abbreviated(url));
        }
        return java.util.Base64.getDecoder().decode(data.group(2));
    }

    /** The type of a {@code data:<type>;base64,…} URL. */
    public static String dataUrlType(String url) {
        Matcher data = DATA_URL.matcher(url);
        return data.matches() ? data.group(1) : "";
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private void create(HttpExchange exchange, JsonNode body) throws IOException {
        String inputFile = body.path("input_file_id").asText("");
        String endpoint = body.path("endpoint").asText();
        if (file(inputFile) == null || !ENDPOINTS.contains(endpoint) || !"24h".equals(body.path("completion_window").asText())) {
            send(exchange, 400, error(null, "invalid_request_error", "input_file_id, endpoint or completion_window is wrong"));
            return;
        }
        for (String line : new String(file(inputFile), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !endpoint.equals(JSON.readTree(line).path("url").asText())) {
                // OpenAI: every line's url must be the batch's endpoint
                send(exchange, 400, error("invalid_url", "invalid_request_error", "a line's url is not the batch's endpoint " + endpoint));
                return;
            }
        }
        ObjectNode batch;
        synchronized (this) {
            batch = newBatch(inputFile, body.path("metadata").path("display_name").asText(null), 0);
            batch.put("endpoint", endpoint);
        }
        batch.putObject("request_counts").put("total", inputLines(batch.path("id").asText()).size()).put("completed", 0).put("failed", 0);
        send(exchange, 200, batch.toString());
    }

    private ObjectNode newBatch(String inputFile, String displayName, int total) {
        String id = "batch_" + id();
        ObjectNode batch = JSON.createObjectNode().put("id", id).put("object", "batch").put("endpoint", "/v1/images/generations")
                .putNull("errors").put("input_file_id", inputFile).put("completion_window", "24h").put("status", "validating")
                .putNull("output_file_id").putNull("error_file_id").put("created_at", 1795766400L + ids.get());
        batch.putObject("request_counts").put("total", total).put("completed", 0).put("failed", 0);
        ObjectNode metadata = batch.putObject("metadata");
        if (displayName != null) {
            metadata.put("display_name", displayName);
        }
        batches.put(id, batch);
        return batch;
    }

    /** Newest first, {@code limit} a page, {@code after} the last id of the page before. */
    private void list(HttpExchange exchange, String query) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        List<ObjectNode> all;
        synchronized (this) {
            all = new ArrayList<>(batches.values());
        }
        java.util.Collections.reverse(all);
        int limit = Math.min(pageSize, Integer.parseInt(params.getOrDefault("limit", "20")));
        int from = 0;
        if (params.containsKey("after")) {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).path("id").asText().equals(params.get("after"))) {
                    from = i + 1;
                }
            }
        }
        ObjectNode page = JSON.createObjectNode().put("object", "list");
        ArrayNode data = page.putArray("data");
        for (int i = from; i < Math.min(all.size(), from + limit); i++) {
            data.add(all.get(i));
        }
        page.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
        page.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
        page.put("has_more", from + limit < all.size());
        send(exchange, 200, page.toString());
    }

    /** OpenAI's error body: {@code {"error": {"message", "type", "param", "code"}}}. */
    public static String error(String code, String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return body.toString();
    }

    private int id() {
        return ids.incrementAndGet();
    }
}
