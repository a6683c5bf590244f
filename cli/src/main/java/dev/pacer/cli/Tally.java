package dev.pacer.cli;

/**
 * How many jobs of a batch are in each status, and how many of their images are made. {@code batched} counts the jobs in
 * a provider batch (the batch lane); {@code providerBatches} names those batches with their state, as GET shows them.
 */
record Tally(int queued, int waitingForQuota, int running, int batched, int succeeded, int failed, int cancelled, int imagesDone,
        int imagesTotal, java.util.List<String> providerBatches) {

    Tally {
        providerBatches = java.util.List.copyOf(providerBatches);
    }

    /** A batch none of whose jobs is on the batch lane. */
    Tally(int queued, int waitingForQuota, int running, int succeeded, int failed, int cancelled, int imagesDone, int imagesTotal) {
        this(queued, waitingForQuota, running, 0, succeeded, failed, cancelled, imagesDone, imagesTotal, java.util.List.of());
    }

    /** A batch none of whose jobs was cancelled. */
    Tally(int queued, int waitingForQuota, int running, int succeeded, int failed, int imagesDone, int imagesTotal) {
        this(queued, waitingForQuota, running, succeeded, failed, 0, imagesDone, imagesTotal);
    }

    int jobs() {
        return queued + waitingForQuota + running + batched + finished();
    }

    int finished() {
        return succeeded + failed + cancelled;
    }

    boolean allFinished() {
        return finished() == jobs();
    }

    int percent() {
        return jobs() == 0 ? 100 : (int) Math.floor(100.0 * finished() / jobs());
    }
}
