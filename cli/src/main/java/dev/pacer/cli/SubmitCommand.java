package dev.pacer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
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
                  A JSONL line may edit images: "inputs": ["shoes.png", {"from": "LINE NAME", "index": 0}] and
                  "mask": "mask.png" (files relative to FILE, uploaded once each; a "from" line waits for that
                  earlier line's job to succeed). See docs/edits.md.
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
        UploadRecord uploads = UploadRecord.besidePromptFile(file);
        List<PromptFile.Ready> chained = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            for (PromptFile.PromptLine line : lines) {
                if (line instanceof PromptFile.Ready ready && ready.submission().chained()) {
                    chained.add(ready); // after the lines it waits on
                } else if (line instanceof PromptFile.Ready ready) {
                    pending.add(pool.submit(() -> {
                        Outcome outcome = sendWithUploads(api, ready, batch, uploads);
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
        if (!chained.isEmpty()) {
            Map<String, String> jobsByName = jobsByName(lines, outcomes, batch);
            for (PromptFile.Ready ready : chained) {
                Outcome outcome = sendChained(api, ready, batch, uploads, jobsByName, cli);
                outcomes.add(outcome);
                outcome.accepted().ifPresent(accepted -> ready.submission().name().ifPresent(name -> jobsByName.put(name, accepted.id())));
            }
        }
        if (cli.interactive() && toSend > 0) {
            cli.err().print("\r\033[K");
        }
        outcomes.sort(Comparator.comparingInt(Outcome::line));
        return report(file, batch, outcomes, cli);
    }

    private static Outcome sendWithUploads(PacerApi api, PromptFile.Ready ready, BatchFile batch, UploadRecord uploads) {
        ObjectNode body;
        try {
            body = body(api, ready.submission(), uploads, Map.of());
        } catch (ApiProblem | UncheckedIOException e) {
            return new Outcome(ready.line(), Optional.empty(), Optional.of("an input could not be uploaded: " + e.getMessage()));
        }
        return send(api, ready, batch, body);
    }

    /** The jobs lines are known by: those of earlier runs (the batch file), then this run's. */
    private static Map<String, String> jobsByName(List<PromptFile.PromptLine> lines, List<Outcome> outcomes, BatchFile batch) {
        Map<String, String> byName = new HashMap<>();
        if (batch.exists()) {
            batch.read().forEach(entry -> entry.name().ifPresent(name -> byName.put(name, entry.id())));
        }
        Map<Integer, Optional<String>> names = new HashMap<>();
        lines.stream().filter(PromptFile.Ready.class::isInstance).map(PromptFile.Ready.class::cast)
                .forEach(ready -> names.put(ready.line(), ready.submission().name()));
        for (Outcome outcome : outcomes) {
            outcome.accepted().ifPresent(accepted -> names.getOrDefault(outcome.line(), Optional.empty())
                    .ifPresent(name -> byName.put(name, accepted.id())));
        }
        return byName;
    }

    /** How long a chained line waits for the job it edits. */
    private static final Duration CHAIN_WAIT = Duration.ofHours(1);
    private static final Duration CHAIN_POLL = Duration.ofSeconds(2);

    /** A line that edits an earlier line's image: once that line's job has SUCCEEDED, naming it by id. */
    private static Outcome sendChained(PacerApi api, PromptFile.Ready ready, BatchFile batch, UploadRecord uploads,
            Map<String, String> jobsByName, Cli cli) {
        Map<String, String> succeeded = new HashMap<>();
        List<EditInput> waitedOn = new ArrayList<>(ready.submission().inputs());
        ready.submission().mask().ifPresent(waitedOn::add);
        for (EditInput input : waitedOn) {
            if (!(input instanceof EditInput.FromLine from) || succeeded.containsKey(from.name())) {
                continue;
            }
            String id = jobsByName.get(from.name());
            if (id == null) {
                return new Outcome(ready.line(), Optional.empty(), Optional.of("no earlier line named '" + from.name()
                        + "' was submitted; a line chains on a line above it by its \"name\""));
            }
            Instant until = Instant.now().plus(CHAIN_WAIT);
            while (true) {
                String status;
                try {
                    status = api.generation(id).path("status").asText();
                } catch (ApiProblem problem) {
                    return new Outcome(ready.line(), Optional.empty(), Optional.of("cannot read line '" + from.name() + "''s job " + id
                            + ": " + problem.getMessage()));
                }
                if ("SUCCEEDED".equals(status)) {
                    break;
                }
                if ("FAILED".equals(status) || "CANCELLED".equals(status)) {
                    return new Outcome(ready.line(), Optional.empty(), Optional.of("waits on line '" + from.name() + "', whose job " + id
                            + " ended " + status));
                }
                if (Instant.now().isAfter(until)) {
                    return new Outcome(ready.line(), Optional.empty(), Optional.of("line '" + from.name() + "''s job " + id + " is still "
                            + status + " after " + CHAIN_WAIT.toMinutes() + " minutes; submit the file again later"));
                }
                if (cli.interactive()) {
                    cli.err().print("\rline " + ready.line() + " waits for '" + from.name() + "' (" + status + ")\033[K");
                }
                PacerApi.sleep(CHAIN_POLL);
            }
            succeeded.put(from.name(), id);
        }
        if (cli.interactive()) {
            cli.err().print("\r\033[K");
        }
        ObjectNode body;
        try {
            body = body(api, ready.submission(), uploads, succeeded);
        } catch (ApiProblem | UncheckedIOException e) {
            return new Outcome(ready.line(), Optional.empty(), Optional.of("an input could not be uploaded: " + e.getMessage()));
        }
        return send(api, ready, batch, body);
    }

    /** The request with its inputs as the API names them: local files uploaded (once per content), earlier lines by job id. */
    private static ObjectNode body(PacerApi api, Submission submission, UploadRecord uploads, Map<String, String> jobsByName) {
        if (submission.inputs().isEmpty() && submission.mask().isEmpty()) {
            return submission.body();
        }
        ObjectNode body = submission.body().deepCopy();
        submission.inputs().forEach(input -> body.withArrayProperty("inputs").add(reference(api, input, uploads, jobsByName)));
        submission.mask().ifPresent(mask -> body.set("mask", reference(api, mask, uploads, jobsByName)));
        return body;
    }

    private static ObjectNode reference(PacerApi api, EditInput input, UploadRecord uploads, Map<String, String> jobsByName) {
        if (input instanceof EditInput.LocalFile file) {
            return Json.object().put("upload", uploads.uploadOnce(api, file));
        }
        if (input instanceof EditInput.FromLine from) {
            return Json.object().put("job", jobsByName.get(from.name())).put("index", from.index());
        }
        return ((EditInput.Named) input).reference();
    }

    private static Outcome send(PacerApi api, PromptFile.Ready ready, BatchFile batch, ObjectNode body) {
        try {
            PacerApi.Accepted accepted = api.submit(body, ready.idempotencyKey());
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
