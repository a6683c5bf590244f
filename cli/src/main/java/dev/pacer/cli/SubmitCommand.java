package dev.pacer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Submits one prompt, or every line of a JSONL/CSV prompt file, and records the jobs in a batch file. */
final class SubmitCommand extends Command {

    SubmitCommand() {
        super(new Spec("submit",
                "submit (PROMPT | FILE.jsonl | FILE.csv) [--model M] [--resolution R] [--aspect-ratio A] [--count N] "
                + "[--callback-url U] [--lane sync|batch|auto] [--deadline T] [--name N] [--batch B]",
                """
                  A file has one prompt per JSONL line ({"prompt", "model", "resolution", "aspectRatio", "count",
                  "callbackUrl", "metadata", "name"}) or per CSV row (a header with those names, metadata.KEY columns);
                  the options above are defaults for lines that leave them out. Each line carries an idempotency key
                  made from the file and the line, so submitting the file again creates no duplicates.
                  --lane L         sync (default), batch (half price, within about a day) or auto (batch when
                                   the deadline leaves time for it); a file's "lane" column wins
                  --deadline T     RFC 3339, e.g. 2026-12-03T18:00:00Z: when the jobs must be done
                  --batch B        record the jobs here (default: FILE.pacer.jsonl; for one prompt, only if given)
                  --name N         the folder name download uses for a single prompt's images
                  --concurrency N  requests in flight (default 4)
                """,
                Set.of(), Set.of("model", "resolution", "aspect-ratio", "count", "callback-url", "lane", "deadline", "name", "batch",
                        "concurrency")));
    }

    private static final int DEFAULT_CONCURRENCY = 4;

    @Override
    public int run(Arguments args, Cli cli) {
        if (args.positionals().isEmpty()) {
            throw new UsageException("give a prompt or a prompt file");
        }
        SubmitDefaults defaults = SubmitDefaults.from(args);
        String first = args.positionals().get(0);
        if (args.positionals().size() == 1 && PromptFile.looksLikePromptFile(first)) {
            Path file = Path.of(first);
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no such file: " + first);
            }
            if (args.value("name").isPresent()) {
                throw new UsageException("--name is for a single prompt; a file names its lines in a name column");
            }
            Path batch = args.value("batch").map(Path::of).orElse(BatchFile.besidePromptFile(file));
            return submitFile(Connection.open(args, cli), file, PromptFile.read(file, defaults), new BatchFile(batch),
                    args.integer("concurrency", 1, 32).orElse(DEFAULT_CONCURRENCY), cli);
        }
        return submitOne(Connection.open(args, cli), String.join(" ", args.positionals()), args, defaults, cli);
    }

    private int submitOne(PacerApi api, String prompt, Arguments args, SubmitDefaults defaults, Cli cli) {
        ObjectNode line = Json.object().put("prompt", prompt);
        args.value("name").ifPresent(name -> line.put("name", name));
        Submission submission;
        try {
            submission = Submission.of(line, defaults);
        } catch (Submission.Invalid e) {
            throw new UsageException(e.getMessage());
        }
        // a fresh key per run (running the command again means another image), kept across this run's retries
        PacerApi.Accepted accepted = api.submit(submission.body(), "pacer-cli-" + UUID.randomUUID());
        cli.out().println(accepted.id() + " " + accepted.status());
        args.value("batch").map(Path::of).map(BatchFile::new)
                .ifPresent(batch -> batch.append(new BatchFile.Entry(0, submission.name(), accepted.id(), submission.images())));
        return Pacer.OK;
    }

    /** How one line went. */
    private record Outcome(int line, Optional<PacerApi.Accepted> accepted, Optional<String> problem) {
    }

    private int submitFile(PacerApi api, Path file, List<PromptFile.PromptLine> lines, BatchFile batch, int concurrency, Cli cli) {
        List<Outcome> outcomes = new ArrayList<>();
        List<Future<Outcome>> pending = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        long toSend = lines.stream().filter(PromptFile.Ready.class::isInstance).count();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            for (PromptFile.PromptLine line : lines) {
                if (line instanceof PromptFile.Ready ready) {
                    pending.add(pool.submit(() -> {
                        Outcome outcome = send(api, ready, batch);
                        if (cli.interactive()) {
                            cli.err().print("\rsubmitting " + done.incrementAndGet() + "/" + toSend);
                        }
                        return outcome;
                    }));
                } else if (line instanceof PromptFile.Unreadable bad) {
                    outcomes.add(new Outcome(bad.line(), Optional.empty(), Optional.of(bad.problem())));
                }
            }
            pending.forEach(future -> outcomes.add(Concurrency.join(future)));
        } finally {
            pool.shutdownNow();
        }
        if (cli.interactive() && toSend > 0) {
            cli.err().print("\r\033[K");
        }
        outcomes.sort(Comparator.comparingInt(Outcome::line));
        return report(file, batch, outcomes, cli);
    }

    private static Outcome send(PacerApi api, PromptFile.Ready ready, BatchFile batch) {
        try {
            PacerApi.Accepted accepted = api.submit(ready.submission().body(), ready.idempotencyKey());
            batch.append(new BatchFile.Entry(ready.line(), ready.submission().name(), accepted.id(), ready.submission().images()));
            return new Outcome(ready.line(), Optional.of(accepted), Optional.empty());
        } catch (ApiProblem problem) {
            return new Outcome(ready.line(), Optional.empty(), Optional.of(problem.getMessage()
                    + problem.field().map(field -> " (field " + field + ", HTTP " + problem.status() + ")").orElse(" (HTTP " + problem.status() + ")")));
        } catch (UncheckedIOException e) {
            return new Outcome(ready.line(), Optional.empty(), Optional.of("not sent: " + e.getMessage() + "; submit the file again to retry"));
        }
    }

    private static int report(Path file, BatchFile batch, List<Outcome> outcomes, Cli cli) {
        int created = 0;
        int replayed = 0;
        int bad = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.problem().isPresent()) {
                bad++;
                cli.err().println(file + " line " + outcome.line() + ": " + outcome.problem().get());
            } else if (outcome.accepted().orElseThrow().replayed()) {
                replayed++;
            } else {
                created++;
            }
        }
        StringBuilder summary = new StringBuilder("submitted " + (created + replayed) + " of " + outcomes.size() + " prompts from " + file);
        if (replayed > 0) {
            summary.append(" (").append(replayed).append(" already submitted before, not duplicated)");
        }
        if (bad > 0) {
            summary.append("; ").append(bad).append(bad == 1 ? " line was" : " lines were").append(" not submitted");
        }
        cli.out().println(summary);
        if (created + replayed > 0) {
            cli.out().println("jobs recorded in " + batch.path() + "; next: pacer wait " + batch.path());
        }
        return bad == 0 ? Pacer.OK : Pacer.FAILED;
    }
}
