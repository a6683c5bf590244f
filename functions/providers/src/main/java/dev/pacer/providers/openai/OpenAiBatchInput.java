package dev.pacer.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.InputImages;
import dev.pacer.providers.http.StreamedBody;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * An OpenAI batch's input file, one line per job: {@code {"custom_id": jobId, "method": "POST", "url": …, "body": …}}.
 * A generation's line goes to {@code /v1/images/generations} with the body the sync lane posts (all of the job's
 * images, {@code n}); an edit's to {@code /v1/images/edits} with the endpoint's JSON form (a line cannot carry
 * multipart), its reference images as base64 data URLs streamed from S3 as the file is sent. A batch has one endpoint,
 * so it holds generations or edits, never both. Sent as the file part of a {@code multipart/form-data} upload with
 * {@code purpose=batch}; its length, base64 included, is known before anything is sent.
 */
final class OpenAiBatchInput {

    /** The Batch API's limits for one input file. */
    static final int MOST_LINES = 50_000;
    static final long MOST_BYTES = 200L * 1000 * 1000;
    static final String GENERATIONS = "/v1/images/generations";
    static final String EDITS = "/v1/images/edits";

    private final List<StreamedBody> lines = new ArrayList<>();
    private final String endpoint;
    private final long fileBytes;
    private final String boundary = "pacer-" + UUID.randomUUID();
    private final String displayName;

    /** Checks the limits from each line's length: nothing is read until the file is sent. */
    OpenAiBatchInput(List<BatchLine> batchLines, OpenAiRequests bodies, InputImages inputs, String displayName) {
        if (batchLines.size() > MOST_LINES) {
            throw new BatchProviderException("an OpenAI batch takes at most " + MOST_LINES + " lines, not " + batchLines.size(), false);
        }
        long edits = batchLines.stream().filter(line -> line.request().isEdit()).count();
        if (edits > 0 && edits < batchLines.size()) {
            throw new BatchProviderException("an OpenAI batch has one endpoint: it takes generations or edits, not " + edits + " edits and "
                    + (batchLines.size() - edits) + " generations", false);
        }
        this.endpoint = edits > 0 ? EDITS : GENERATIONS;
        this.displayName = displayName;
        Set<String> seen = new HashSet<>();
        long bytes = 0;
        for (BatchLine line : batchLines) {
            if (!seen.add(line.jobId())) {
                throw new BatchProviderException("job " + line.jobId() + " is in the batch twice", false);
            }
            StreamedBody body = line.request().isEdit() ? bodies.editJson(line.request(), inputs)
                    : new StreamedBody().text(write(bodies.body(line.request())));
            StreamedBody json = new StreamedBody()
                    .text("{\"custom_id\":" + write(line.jobId()) + ",\"method\":\"POST\",\"url\":" + write(endpoint) + ",\"body\":")
                    .append(body)
                    .text("}\n");
            bytes += json.length();
            if (bytes > MOST_BYTES) {
                throw new BatchProviderException("an OpenAI batch input file takes at most " + MOST_BYTES + " bytes (its images' base64 "
                        + "counted)", false);
            }
            lines.add(json);
        }
        this.fileBytes = bytes;
    }

    /** {@code /v1/images/generations} or {@code /v1/images/edits}: the batch's {@code endpoint}, and each line's {@code url}. */
    String endpoint() {
        return endpoint;
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
    StreamedBody multipart() {
        StreamedBody body = new StreamedBody().text("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + "batch\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName(displayName) + "\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n");
        lines.forEach(body::append);
        return body.text("\r\n--" + boundary + "--\r\n");
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
}
