package dev.pacer.providers.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.InputImages;
import dev.pacer.providers.http.StreamedBody;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * A Gemini batch's requests, one per image: a job of n images is n copies of the request the sync lane sends, keyed
 * {@code jobId/0} … {@code jobId/(n-1)}; an edit's copies each carry its reference images as {@code inlineData} parts.
 * They go either inline in the create call's body or as the lines of a JSONL file. Both are {@link StreamedBody}s: the
 * JSON around the images is kept (one request's text per job), each image's base64 is streamed from S3 when the send
 * reaches it, and the length, base64 included, is known before anything is sent.
 */
final class GeminiBatchInput {

    private record Job(String jobId, int count, StreamedBody request) {
    }

    private final List<Job> jobs = new ArrayList<>();
    private final int size;

    GeminiBatchInput(List<BatchLine> lines, GeminiRequests bodies, InputImages inputs) {
        Set<String> seen = new HashSet<>();
        int images = 0;
        for (BatchLine line : lines) {
            if (!seen.add(line.jobId())) {
                throw new BatchProviderException("job " + line.jobId() + " is in the batch twice", false);
            }
            jobs.add(new Job(line.jobId(), line.request().count(), bodies.streamed(line.request(), inputs)));
            images += line.request().count();
        }
        this.size = images;
    }

    /** How many requests (images) the batch holds. */
    int size() {
        return size;
    }

    /** The key of one image's request: what its response comes back with. */
    static String key(String jobId, int index) {
        return jobId + "/" + index;
    }

    /** {@code {"batch":{"display_name":…,"input_config":{"requests":{"requests":[{"request":…,"metadata":{"key":…}},…]}}}}}. */
    StreamedBody inlineCreateBody(String displayName) {
        StreamedBody body = new StreamedBody().text("{\"batch\":{\"display_name\":" + quoted(displayName)
                + ",\"input_config\":{\"requests\":{\"requests\":[");
        boolean first = true;
        for (Job job : jobs) {
            for (int index = 0; index < job.count(); index++) {
                body.text((first ? "" : ",") + "{\"request\":").append(job.request())
                        .text(",\"metadata\":{\"key\":" + quoted(key(job.jobId(), index)) + "}}");
                first = false;
            }
        }
        return body.text("]}}}}");
    }

    /** JSON Lines, {@code {"key":…,"request":…}} each. */
    StreamedBody jsonl() {
        StreamedBody body = new StreamedBody();
        for (Job job : jobs) {
            for (int index = 0; index < job.count(); index++) {
                body.text("{\"key\":" + quoted(key(job.jobId(), index)) + ",\"request\":").append(job.request()).text("}\n");
            }
        }
        return body;
    }

    /** {@code {"batch":{"display_name":…,"input_config":{"file_name":…}}}}. */
    static String fileCreateBody(String displayName, String fileName) {
        return "{\"batch\":{\"display_name\":" + quoted(displayName) + ",\"input_config\":{\"file_name\":" + quoted(fileName) + "}}}";
    }

    static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
