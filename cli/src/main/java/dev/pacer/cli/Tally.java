package dev.pacer.cli;

/** How many jobs of a batch are in each status, and how many of their images are made. */
record Tally(int queued, int waitingForQuota, int running, int succeeded, int failed, int cancelled, int imagesDone, int imagesTotal) {

    /** A batch none of whose jobs was cancelled. */
    Tally(int queued, int waitingForQuota, int running, int succeeded, int failed, int imagesDone, int imagesTotal) {
        this(queued, waitingForQuota, running, succeeded, failed, 0, imagesDone, imagesTotal);
    }

    int jobs() {
        return queued + waitingForQuota + running + finished();
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
