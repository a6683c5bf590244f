package dev.pacer.providers.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.port.BatchProviderException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * A Gemini batch's requests, one per image: a job of n images is n copies of the request the sync lane sends, keyed
 * {@code jobId/0} … {@code jobId/(n-1)}. They go either inline in the create call's body or as the lines of a JSONL
 * file; both are made piece by piece as they are sent, from one serialised request per job.
 */
final class GeminiBatchInput {

    private final List<String> jobIds = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final List<byte[]> requests = new ArrayList<>();
    private final int size;

    GeminiBatchInput(List<BatchLine> lines, GeminiRequests bodies) {
        Set<String> seen = new HashSet<>();
        int images = 0;
        for (BatchLine line : lines) {
            if (!seen.add(line.jobId())) {
                throw new BatchProviderException("job " + line.jobId() + " is in the batch twice", false);
            }
            jobIds.add(line.jobId());
            counts.add(line.request().count());
            requests.add(json(bodies.body(line.request())));
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
    Iterable<byte[]> inlineCreateBody(String displayName) {
        byte[] head = utf8("{\"batch\":{\"display_name\":" + quoted(displayName) + ",\"input_config\":{\"requests\":{\"requests\":[");
        byte[] tail = utf8("]}}}}");
        return () -> new Pieces(head, tail, (jobId, index, request, first) -> concat(
                utf8((first ? "" : ",") + "{\"request\":"), request, utf8(",\"metadata\":{\"key\":" + quoted(key(jobId, index)) + "}}")));
    }

    /** JSON Lines, {@code {"key":…,"request":…}} each. */
    Iterable<byte[]> jsonl() {
        return () -> new Pieces(new byte[0], new byte[0], (jobId, index, request, first) -> concat(
                utf8("{\"key\":" + quoted(key(jobId, index)) + ",\"request\":"), request, utf8("}\n")));
    }

    /** {@code {"batch":{"display_name":…,"input_config":{"file_name":…}}}}. */
    static String fileCreateBody(String displayName, String fileName) {
        return "{\"batch\":{\"display_name\":" + quoted(displayName) + ",\"input_config\":{\"file_name\":" + quoted(fileName) + "}}}";
    }

    private interface Entry {
        byte[] bytes(String jobId, int index, byte[] request, boolean first);
    }

    /** The head, then one entry per image of each job, then the tail. */
    private final class Pieces implements Iterator<byte[]> {
        private final byte[] head;
        private final byte[] tail;
        private final Entry entry;
        private int job;
        private int index;
        private boolean headSent;
        private boolean tailSent;
        private boolean first = true;

        Pieces(byte[] head, byte[] tail, Entry entry) {
            this.head = head;
            this.tail = tail;
            this.entry = entry;
        }

        @Override
        public boolean hasNext() {
            return !tailSent;
        }

        @Override
        public byte[] next() {
            if (!headSent) {
                headSent = true;
                return head;
            }
            while (job < jobIds.size() && index >= counts.get(job)) {
                job++;
                index = 0;
            }
            if (job < jobIds.size()) {
                byte[] bytes = entry.bytes(jobIds.get(job), index, requests.get(job), first);
                first = false;
                index++;
                return bytes;
            }
            if (tailSent) {
                throw new NoSuchElementException();
            }
            tailSent = true;
            return tail;
        }
    }

    static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] json(Object tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] all = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, a.length + b.length, c.length);
        return all;
    }
}
