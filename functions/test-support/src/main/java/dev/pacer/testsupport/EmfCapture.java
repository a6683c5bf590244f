package dev.pacer.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a function running in this JVM writes to {@code System.out} while the capture is open (still passed on to
 * the real stdout), and the CloudWatch embedded metric format documents among those lines, each checked against
 * the EMF specification: {@code _aws.Timestamp} a number; every directive's {@code Namespace} a string; every
 * dimension key a string member of the document; every metric {@code Name} with a CloudWatch {@code Unit}, a number member.
 */
public final class EmfCapture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The units CloudWatch accepts. */
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
            "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
            "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");

    private final PrintStream original = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private EmfCapture() {
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (captured) {
                    captured.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (captured) {
                    captured.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    public static EmfCapture start() {
        return new EmfCapture();
    }

    /** The EMF documents written so far, each valid. */
    public List<JsonNode> documents() {
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        List<JsonNode> documents = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.contains("\"_aws\"")) {
                documents.add(assertValidEmf(line));
            }
        }
        return documents;
    }

    /** The EMF documents that publish {@code metric} for {@code jobId}. */
    public List<JsonNode> documents(String metric, String jobId) {
        return documents().stream()
                .filter(document -> jobId.equals(document.path("jobId").asText()))
                .filter(document -> metricNames(document).contains(metric))
                .toList();
    }

    public static List<String> metricNames(JsonNode document) {
        List<String> names = new ArrayList<>();
        document.path("_aws").path("CloudWatchMetrics")
                .forEach(directive -> directive.path("Metrics").forEach(metric -> names.add(metric.path("Name").asText())));
        return names;
    }

    /** The dimension sets of the directive that publishes {@code metric}, as lists of keys. */
    public static List<List<String>> dimensionSets(JsonNode document, String metric) {
        List<List<String>> sets = new ArrayList<>();
        document.path("_aws").path("CloudWatchMetrics").forEach(directive -> {
            boolean publishes = false;
            for (JsonNode named : directive.path("Metrics")) {
                publishes |= named.path("Name").asText().equals(metric);
            }
            if (publishes) {
                directive.path("Dimensions").forEach(set -> {
                    List<String> keys = new ArrayList<>();
                    set.forEach(key -> keys.add(key.asText()));
                    sets.add(keys);
                });
            }
        });
        return sets;
    }

    /** Parses one line as an EMF document and checks it against the specification. */
    public static JsonNode assertValidEmf(String line) {
        JsonNode document;
        try {
            document = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return fail("not a JSON line: " + line, e);
        }
        assertTrue(document.isObject(), line);
        JsonNode aws = document.path("_aws");
        assertTrue(aws.path("Timestamp").isIntegralNumber(), "_aws.Timestamp must be a number: " + line);
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertTrue(directives.isArray() && !directives.isEmpty(), "_aws.CloudWatchMetrics must be a non-empty array: " + line);
        for (JsonNode directive : directives) {
            assertTrue(directive.path("Namespace").isTextual() && !directive.path("Namespace").asText().isEmpty(),
                    "Namespace must be a string: " + line);
            JsonNode dimensions = directive.path("Dimensions");
            assertTrue(dimensions.isArray(), "Dimensions must be an array of dimension sets: " + line);
            for (JsonNode set : dimensions) {
                assertTrue(set.isArray() && set.size() <= 30, "a dimension set is an array of at most 30 keys: " + line);
                for (JsonNode key : set) {
                    assertTrue(key.isTextual(), "a dimension key is a string: " + line);
                    assertTrue(document.path(key.asText()).isTextual(), "dimension " + key + " must be a string member: " + line);
                }
            }
            JsonNode metrics = directive.path("Metrics");
            assertTrue(metrics.isArray() && !metrics.isEmpty(), "Metrics must be a non-empty array: " + line);
            for (JsonNode metric : metrics) {
                assertTrue(metric.path("Name").isTextual(), "a metric has a Name: " + line);
                assertTrue(UNITS.contains(metric.path("Unit").asText()), "a metric has a CloudWatch Unit: " + line);
                assertTrue(document.path(metric.path("Name").asText()).isNumber(),
                        "metric " + metric.path("Name") + " must be a number member: " + line);
            }
        }
        assertFalse(document.has("prompt"), "EMF lines never carry the prompt: " + line);
        return document;
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
