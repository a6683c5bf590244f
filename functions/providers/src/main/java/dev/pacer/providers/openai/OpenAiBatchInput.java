package dev.pacer.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.port.BatchProviderException;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * An OpenAI batch's input file, one line per job:
 * {@code {"custom_id": jobId, "method": "POST", "url": "/v1/images/generations", "body": …}}, the body the sync lane
 * posts (all of the job's images, {@code n}). Sent as the file part of a {@code multipart/form-data} upload with
 * {@code purpose=batch}, written line by line as it is sent.
 */
final class OpenAiBatchInput {

    /** The Batch API's limits for one input file. */
    static final int MOST_LINES = 50_000;
    static final long MOST_BYTES = 200L * 1000 * 1000;
    static final String ENDPOINT = "/v1/images/generations";

    private final List<BatchLine> lines;
    private final OpenAiRequests bodies;
    private final long fileBytes;
    private final String boundary = "pacer-" + UUID.randomUUID();
    private final byte[] head;
    private final byte[] tail;

    /** Checks the limits by writing each line once and keeping only its length: the lines are written again as they are sent. */
    OpenAiBatchInput(List<BatchLine> batchLines, OpenAiRequests bodies, String displayName) {
        if (batchLines.size() > MOST_LINES) {
            throw new BatchProviderException("an OpenAI batch takes at most " + MOST_LINES + " lines, not " + batchLines.size(), false);
        }
        this.lines = List.copyOf(batchLines);
        this.bodies = bodies;
        Set<String> seen = new HashSet<>();
        long bytes = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!seen.add(lines.get(i).jobId())) {
                throw new BatchProviderException("job " + lines.get(i).jobId() + " is in the batch twice", false);
            }
            bytes += line(i).length;
            if (bytes > MOST_BYTES) {
                throw new BatchProviderException("an OpenAI batch input file takes at most " + MOST_BYTES + " bytes", false);
            }
        }
        this.fileBytes = bytes;
        this.head = utf8("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + "batch\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName(displayName) + "\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n");
        this.tail = utf8("\r\n--" + boundary + "--\r\n");
    }

    /** {@code {"custom_id":…,"method":"POST","url":"/v1/images/generations","body":…}} and a newline. */
    private byte[] line(int i) {
        BatchLine line = lines.get(i);
        var json = JSON.createObjectNode()
                .put("custom_id", line.jobId())
                .put("method", "POST")
                .put("url", ENDPOINT);
        json.set("body", bodies.body(line.request()));
        return utf8(write(json) + "\n");
    }

    long fileBytes() {
        return fileBytes;
    }

    int size() {
        return lines.size();
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The multipart body: the purpose, then the file's lines as they are sent. */
    Iterable<byte[]> multipart() {
        return () -> new Iterator<>() {
            private int next = -1;

            @Override
            public boolean hasNext() {
                return next <= lines.size();
            }

            @Override
            public byte[] next() {
                int at = next++;
                return at < 0 ? head : at < lines.size() ? line(at) : tail;
            }
        };
    }

    /** A file name made of the display name's safe characters. */
    static String fileName(String displayName) {
        String safe = displayName.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.isEmpty() ? "pacer-batch" : safe) + ".jsonl";
    }

    private static String write(Object json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
