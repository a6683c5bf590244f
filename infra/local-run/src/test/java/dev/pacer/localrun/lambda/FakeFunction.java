package dev.pacer.localrun.lambda;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tiny function speaking the Lambda Runtime API with java.net.http, run as a child JVM by the tests. Behaviour
 * comes from the event: an HTTP event is echoed back as the JSON body (with the runtime headers); "/fail" posts an
 * invocation error, "/slow" outlives the timeout. An SQS record body "fail" is reported as a batch item failure,
 * "crash" fails the whole invocation. With FAKE_RECORD_DIR set, every event is written there.
 */
public final class FakeFunction {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String api = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/";
        HttpClient http = HttpClient.newHttpClient();
        if (System.getenv("FAKE_INIT_ERROR") != null) {
            http.send(HttpRequest.newBuilder(URI.create(api + "init/error"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"boom\",\"errorType\":\"InitFailed\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            System.exit(1);
        }
        System.out.println("fake function initialised, memory " + System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        while (true) {
            HttpResponse<byte[]> next = http.send(HttpRequest.newBuilder(URI.create(api + "invocation/next")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String requestId = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            JsonNode event = JSON.readTree(next.body());
            String recordDir = System.getenv("FAKE_RECORD_DIR");
            if (recordDir != null) {
                Files.write(Path.of(recordDir, requestId + ".json"), next.body());
            }
            String outcome;
            ObjectNode response = JSON.createObjectNode();
            if (event.has("Records")) {
                outcome = sqs(event, response);
            } else {
                outcome = http(event, next, response);
            }
            if (outcome.equals("slow")) {
                Thread.sleep(60_000);
            }
            String suffix = outcome.equals("error") ? "/error" : "/response";
            String body = outcome.equals("error") ? "{\"errorMessage\":\"it failed\",\"errorType\":\"FakeError\"}" : JSON.writeValueAsString(response);
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(api + "invocation/" + requestId + suffix))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (outcome.equals("error")) {
                post.header("Lambda-Runtime-Function-Error-Type", "FakeError");
            }
            http.send(post.build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    private static String sqs(JsonNode event, ObjectNode response) {
        ArrayNode failures = response.putArray("batchItemFailures");
        for (JsonNode record : event.get("Records")) {
            switch (record.path("body").asText()) {
                case "crash" -> {
                    return "error";
                }
                case "fail" -> failures.addObject().put("itemIdentifier", record.get("messageId").asText());
                default -> {
                }
            }
        }
        return "ok";
    }

    private static String http(JsonNode event, HttpResponse<byte[]> next, ObjectNode response) {
        String path = event.path("rawPath").asText();
        if (path.endsWith("/fail")) {
            return "error";
        }
        if (path.endsWith("/slow")) {
            return "slow";
        }
        ObjectNode echo = JSON.createObjectNode();
        echo.set("event", event);
        ObjectNode runtime = echo.putObject("runtime");
        next.headers().map().forEach((name, values) -> runtime.put(name.toLowerCase(), values.get(0)));
        echo.put("functionName", System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
        response.put("statusCode", path.endsWith("/created") ? 201 : 200);
        response.putObject("headers").put("content-type", "application/json").put("x-fake", "yes");
        response.putArray("cookies").add("session=abc; Path=/");
        response.put("body", echo.toString());
        response.put("isBase64Encoded", false);
        return "ok";
    }
}
