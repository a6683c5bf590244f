package dev.pacer.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one line {@code wait} keeps redrawing on a terminal, or prints now and then into a log. */
final class ProgressLine {

    static final int BAR_WIDTH = 24;

    private ProgressLine() {
    }

    /**
     * @param eta   time left, when there is a basis for it
     * @param notes quota headroom and the like, appended as they come
     */
    static String render(Tally tally, Optional<Duration> eta, List<String> notes, boolean bar) {
        List<String> parts = new ArrayList<>();
        String head = String.format("%3d%%  %d/%d jobs", tally.percent(), tally.finished(), tally.jobs());
        parts.add(bar ? bar(tally) + " " + head : head);
        parts.add(tally.queued() + " queued");
        parts.add(tally.waitingForQuota() + " waiting for quota");
        parts.add(tally.running() + " running");
        parts.add(tally.succeeded() + " succeeded");
        parts.add(tally.failed() + " failed");
        parts.add(tally.imagesDone() + "/" + tally.imagesTotal() + " images");
        if (!tally.allFinished()) {
            parts.add("ETA " + eta.map(ProgressLine::duration).orElse("unknown"));
        }
        parts.addAll(notes);
        return String.join(" · ", parts);
    }

    /** {@code [#########.........]}: succeeded as #, failed as x, the rest as dots. */
    static String bar(Tally tally) {
        int jobs = Math.max(1, tally.jobs());
        int done = tally.succeeded() * BAR_WIDTH / jobs;
        int failed = tally.finished() * BAR_WIDTH / jobs - done;
        return "[" + "#".repeat(done) + "x".repeat(failed) + ".".repeat(BAR_WIDTH - done - failed) + "]";
    }

    /** 45s, 3m 05s, 2h 10m, 3d 4h. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format("%dh %02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd %dh", seconds / 86_400, seconds % 86_400 / 3600);
    }
}
