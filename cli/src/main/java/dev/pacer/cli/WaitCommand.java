package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Polls a batch's unfinished jobs until all are SUCCEEDED, FAILED or CANCELLED, with a live progress line on a terminal
 * (plain lines when not), and an ETA; exits 1 when any job failed.
 */
final class WaitCommand extends Command {

    WaitCommand() {
        super(new Spec("wait",
                "wait (BATCH | PROMPT-FILE | ID...) [--interval S] [--timeout S] [--plain]",
                """
                  Polls the jobs not yet finished and shows queued / waiting for quota / running / succeeded / failed,
                  the share done and an ETA (from the rate images finish at, or before that from /v1/capacity).
                  Exits 1 if any job FAILED, 3 when --timeout passes first.
                  --interval S     seconds between polls (default 2)
                  --timeout S      give up after this many seconds
                  --plain          log lines instead of the live line (the default when output is not a terminal)
                  --concurrency N  GETs in flight (default 4)
                """,
                Set.of("plain"), Set.of("interval", "timeout", "concurrency")));
    }

    private static final int DEFAULT_COLUMNS = 80;
    private static final Duration QUOTA_REFRESH = Duration.ofSeconds(15);
    private static final Duration PLAIN_LINE_AT_LEAST_EVERY = Duration.ofSeconds(30);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @Override
    public int run(Arguments args, Cli cli) {
        List<BatchFile.Entry> jobs = JobSelection.resolve(args.positionals());
        Duration interval = Duration.ofMillis((long) (args.decimal("interval").orElse(2.0) * 1000));
        Optional<Duration> timeout = args.decimal("timeout").map(seconds -> Duration.ofMillis((long) (seconds * 1000)));
        boolean live = cli.interactive() && !args.flag("plain");
        PacerApi api = Connection.open(args, cli);
        try (JobFetcher fetcher = new JobFetcher(api, args.integer("concurrency", 1, 32).orElse(4))) {
            return new Watch(api, fetcher, jobs, cli, live).until(timeout, interval);
        }
    }

    /** One wait: what each job last said, and what has been printed. */
    private static final class Watch {
        private final PacerApi api;
        private final JobFetcher fetcher;
        private final List<BatchFile.Entry> jobs;
        private final Cli cli;
        private final boolean live;
        private final Map<String, JsonNode> latest = new HashMap<>();
        private final Map<String, String> refused = new LinkedHashMap<>();
        private final Outlook outlook = new Outlook();
        private List<String> quotaNotes = List.of();
        private Optional<String> unreachable = Optional.empty();
        private Instant quotaAsOf = Instant.MIN;
        private String lastLine = "";
        private Instant lastLineAt = Instant.MIN;
        private final int columns;

        Watch(PacerApi api, JobFetcher fetcher, List<BatchFile.Entry> jobs, Cli cli, boolean live) {
            this.api = api;
            this.fetcher = fetcher;
            this.jobs = jobs;
            this.cli = cli;
            this.live = live;
            this.columns = terminalColumns(cli);
        }

        int until(Optional<Duration> timeout, Duration interval) {
            Instant started = cli.clock().instant();
            int imagesDoneAtStart = -1;
            while (true) {
                poll();
                Instant now = cli.clock().instant();
                Tally tally = JobStatus.tally(jobs, latest, refused);
                if (imagesDoneAtStart < 0) {
                    imagesDoneAtStart = tally.imagesDone();
                    outlook.learnCapacity(api, openGroups().keySet()).forEach(warning -> cli.err().println("note: " + warning));
                }
                List<String> notes = new ArrayList<>();
                unreachable.ifPresent(reason -> notes.add("API: " + reason));
                if (!tally.allFinished()) {
                    notes.addAll(quotaNotes(now));
                }
                show(ProgressLine.render(tally, eta(tally, imagesDoneAtStart, Duration.between(started, now)), notes, live), now);
                if (tally.allFinished()) {
                    return summary(tally);
                }
                if (timeout.isPresent() && Duration.between(started, now).compareTo(timeout.get()) >= 0) {
                    endLiveLine();
                    cli.err().println("pacer wait: " + ProgressLine.jobs(tally.jobs() - tally.finished()) + " still unfinished after "
                            + ProgressLine.duration(timeout.get()));
                    return Pacer.TIMED_OUT;
                }
                PacerApi.sleep(interval);
            }
        }

        private void poll() {
            List<String> open = jobs.stream().map(BatchFile.Entry::id)
                    .filter(id -> !refused.containsKey(id) && !Optional.ofNullable(latest.get(id)).map(JobStatus::isFinished).orElse(false))
                    .toList();
            unreachable = Optional.empty();
            fetcher.fetch(open).forEach((id, fetched) -> {
                if (fetched instanceof JobFetcher.Found found) {
                    latest.put(id, found.job());
                } else if (fetched instanceof JobFetcher.Refused no) {
                    refused.put(id, no.problem().describe());
                } else if (fetched instanceof JobFetcher.Unreachable down) {
                    // keep what we knew and ask again next round, but say why nothing moves
                    unreachable = Optional.of(down.reason());
                }
            });
        }

        /** Unfinished jobs by model and resolution: {jobs, images}. */
        private Map<Outlook.Group, int[]> openGroups() {
            Map<Outlook.Group, int[]> groups = new LinkedHashMap<>();
            for (BatchFile.Entry entry : jobs) {
                JsonNode job = latest.get(entry.id());
                if (job != null && !JobStatus.isFinished(job)) {
                    int[] counts = groups.computeIfAbsent(new Outlook.Group(job.path("model").asText(), job.path("resolution").asText()),
                            group -> new int[2]);
                    counts[0]++;
                    counts[1] += JobStatus.images(entry, Optional.of(job));
                }
            }
            return groups;
        }

        private Optional<Duration> eta(Tally tally, int imagesDoneAtStart, Duration watched) {
            if (jobs.stream().anyMatch(entry -> !latest.containsKey(entry.id()) && !refused.containsKey(entry.id()))) {
                return Optional.empty(); // some job never answered yet: no basis
            }
            Map<Outlook.Group, int[]> groups = openGroups();
            int remainingImages = groups.values().stream().mapToInt(counts -> counts[1]).sum();
            List<Eta.Group> byCapacity = new ArrayList<>();
            groups.forEach((group, counts) -> byCapacity.add(outlook.etaGroup(group, counts[0], counts[1])));
            return Eta.observed(remainingImages, tally.imagesDone() - imagesDoneAtStart, watched)
                    .or(() -> Eta.fromCapacity(byCapacity));
        }

        private List<String> quotaNotes(Instant now) {
            if (Duration.between(quotaAsOf, now).compareTo(QUOTA_REFRESH) >= 0) {
                quotaAsOf = now;
                Map<Outlook.Group, int[]> groups = openGroups();
                Set<String> models = new LinkedHashSet<>();
                groups.keySet().forEach(group -> models.add(group.model()));
                int remainingJobs = groups.values().stream().mapToInt(counts -> counts[0]).sum();
                try {
                    quotaNotes = Outlook.quotaNotes(api.quota(), models, remainingJobs, now);
                } catch (ApiProblem | UncheckedIOException e) {
                    quotaNotes = List.of();
                }
            }
            return quotaNotes;
        }

        /** bin/pacer exports COLUMNS for a terminal; a shell may have it too. */
        private static int terminalColumns(Cli cli) {
            try {
                return Integer.parseInt(cli.environment().getOrDefault("COLUMNS", "").strip());
            } catch (NumberFormatException e) {
                return DEFAULT_COLUMNS;
            }
        }

        private void show(String line, Instant now) {
            if (live) {
                cli.out().print("\r" + ProgressLine.fit(line, columns) + "\033[K");
                cli.out().flush();
            } else if (!line.equals(lastLine) || Duration.between(lastLineAt, now).compareTo(PLAIN_LINE_AT_LEAST_EVERY) >= 0) {
                cli.out().println(TIME.format(now) + " " + line);
                lastLine = line;
                lastLineAt = now;
            }
        }

        private void endLiveLine() {
            if (live) {
                cli.out().println();
            }
        }

        private int summary(Tally tally) {
            endLiveLine();
            for (BatchFile.Entry entry : jobs) {
                String label = entry.id() + entry.name().map(name -> " (" + name + ")").orElse("")
                        + (entry.line() > 0 ? " line " + entry.line() : "");
                if (refused.containsKey(entry.id())) {
                    cli.err().println("UNKNOWN " + label + ": " + refused.get(entry.id()));
                } else if (JobStatus.FAILED.equals(latest.get(entry.id()).path("status").asText())) {
                    cli.err().println("FAILED  " + label + ": " + JobStatus.error(latest.get(entry.id())).orElse("no reason given"));
                }
            }
            cli.out().println("all " + ProgressLine.jobs(tally.jobs()) + " finished: " + tally.succeeded() + " succeeded, " + tally.failed() + " failed"
                    + (tally.cancelled() > 0 ? ", " + tally.cancelled() + " cancelled" : ""));
            return tally.failed() == 0 ? Pacer.OK : Pacer.FAILED;
        }
    }
}
