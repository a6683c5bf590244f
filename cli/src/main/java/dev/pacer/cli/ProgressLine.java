package dev.pacer.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one line {@code wait} keeps redrawing on a terminal, or prints now and then into a log. */
final class ProgressLine {

    static final int BAR_WIDTH = 24;
    private static final String SEPARATOR = " | ";

    private ProgressLine() {
    }

    /**
     * "[####....]  40%  4/10 jobs | 3 queued | 1 waiting for quota | 2 running | 3 succeeded | 1 failed | …":
     * statuses no job is in are left out, so the line stays short enough for a terminal.
     *
     * @param eta   time left, when there is a basis for it
     * @param notes quota headroom and the like, appended as they come
     */
    static String render(Tally tally, Optional<Duration> eta, List<String> notes, boolean bar) {
        List<String> parts = new ArrayList<>();
        String head = String.format("%3d%%  %d/%d jobs", tally.percent(), tally.finished(), tally.jobs());
        parts.add(bar ? bar(tally) + " " + head : head);
        count(parts, tally.queued(), "queued");
        count(parts, tally.waitingForQuota(), "waiting for quota");
        count(parts, tally.running(), "running");
        count(parts, tally.batched(), "batched");
        count(parts, tally.succeeded(), "succeeded");
        count(parts, tally.failed(), "failed");
        count(parts, tally.cancelled(), "cancelled");
        parts.add(tally.imagesDone() + "/" + tally.imagesTotal() + " images");
        if (!tally.allFinished()) {
            parts.add("ETA " + eta.map(ProgressLine::duration).orElse("unknown"));
        }
        if (!tally.providerBatches().isEmpty()) {
            List<String> shown = tally.providerBatches().subList(0, Math.min(3, tally.providerBatches().size()));
            parts.add("in " + String.join(", ", shown) + (tally.providerBatches().size() > 3 ? " and " + (tally.providerBatches().size() - 3)
                    + " more batches" : ""));
        }
        parts.addAll(notes);
        return String.join(SEPARATOR, parts);
    }

    /** A line redrawn with a carriage return must not wrap: what does not fit is cut, marked with "...". */
    static String fit(String line, int columns) {
        int room = Math.max(10, columns - 1);
        return line.length() <= room ? line : line.substring(0, room - 3) + "...";
    }

    private static void count(List<String> parts, int jobs, String status) {
        if (jobs > 0) {
            parts.add(jobs + " " + status);
        }
    }

    /** {@code [#########xx--.......]}: succeeded as #, failed as x, cancelled as -, the rest as dots. */
    static String bar(Tally tally) {
        int jobs = Math.max(1, tally.jobs());
        int done = tally.succeeded() * BAR_WIDTH / jobs;
        int failed = (tally.succeeded() + tally.failed()) * BAR_WIDTH / jobs - done;
        int cancelled = tally.finished() * BAR_WIDTH / jobs - done - failed;
        return "[" + "#".repeat(done) + "x".repeat(failed) + "-".repeat(cancelled) + ".".repeat(BAR_WIDTH - done - failed - cancelled) + "]";
    }

    /** "1 job", "3 jobs". */
    static String jobs(int count) {
        return count + (count == 1 ? " job" : " jobs");
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
