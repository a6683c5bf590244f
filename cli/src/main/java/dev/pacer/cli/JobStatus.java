package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading the jobs API's answers: statuses, images, errors, and the tally of a batch. */
final class JobStatus {

    static final String QUEUED = "QUEUED";
    static final String WAITING_FOR_QUOTA = "WAITING_FOR_QUOTA";
    static final String RUNNING = "RUNNING";
    static final String BATCHED = "BATCHED";
    static final String SUCCEEDED = "SUCCEEDED";
    static final String FAILED = "FAILED";
    static final String CANCELLED = "CANCELLED";

    private JobStatus() {
    }

    static boolean isFinished(JsonNode job) {
        String status = job.path("status").asText();
        return status.equals(SUCCEEDED) || status.equals(FAILED) || status.equals(CANCELLED);
    }

    /** "safety_block: the prompt was blocked (SAFETY)". */
    static Optional<String> error(JsonNode job) {
        JsonNode error = job.path("error");
        if (!error.isObject()) {
            return Optional.empty();
        }
        return Optional.of(error.path("type").asText("error") + ": " + error.path("message").asText(""));
    }

    static int images(BatchFile.Entry entry, Optional<JsonNode> job) {
        return job.map(j -> j.path("count").asInt(entry.images())).orElse(entry.images());
    }

    /**
     * @param latest  each job's last answer; a job the API refused to show (404) is in {@code refused} instead
     *                and counts as failed
     */
    static Tally tally(List<BatchFile.Entry> jobs, Map<String, JsonNode> latest, Map<String, String> refused) {
        int queued = 0, waiting = 0, running = 0, batched = 0, succeeded = 0, failed = 0, cancelled = 0, imagesDone = 0, imagesTotal = 0;
        java.util.Set<String> batches = new java.util.TreeSet<>();
        for (BatchFile.Entry entry : jobs) {
            Optional<JsonNode> job = Optional.ofNullable(latest.get(entry.id()));
            imagesTotal += images(entry, job);
            if (refused.containsKey(entry.id())) {
                failed++;
                continue;
            }
            switch (job.map(j -> j.path("status").asText()).orElse(QUEUED)) {
                case WAITING_FOR_QUOTA -> waiting++;
                case RUNNING -> running++;
                case BATCHED -> {
                    batched++;
                    JsonNode batch = job.get().path("batch");
                    if (batch.has("name")) {
                        batches.add(batch.path("name").asText() + (batch.has("state") ? " (" + batch.path("state").asText() + ")" : ""));
                    }
                }
                case SUCCEEDED -> {
                    succeeded++;
                    imagesDone += job.get().path("images").size();
                }
                case FAILED -> failed++;
                case CANCELLED -> cancelled++;
                default -> queued++;
            }
        }
        return new Tally(queued, waiting, running, batched, succeeded, failed, cancelled, imagesDone, imagesTotal, List.copyOf(batches));
    }
}
