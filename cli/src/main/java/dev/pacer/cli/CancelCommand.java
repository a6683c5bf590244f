package dev.pacer.cli;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cancels jobs that have not started: {@code DELETE /v1/generations/{id}} for each. A running job cannot be cancelled
 * (its provider call goes on), but the API notes the request and it is not tried again; a finished job stays as it is.
 */
final class CancelCommand extends Command {

    private static final String RUNNING = "urn:pacer:problem:job-running";
    private static final String FINISHED = "urn:pacer:problem:job-finished";

    CancelCommand() {
        super(new Spec("cancel",
                "cancel (BATCH | PROMPT-FILE | ID...) [--concurrency N]",
                """
                  Cancels each job that has not started (QUEUED or WAITING_FOR_QUOTA): it ends CANCELLED and never runs.
                  A RUNNING job finishes its provider call but is not tried again; a finished job stays as it is.
                  Exits 1 if the API refused or could not be reached for some job.
                  --concurrency N  requests in flight (default 4)
                """,
                Set.of(), Set.of("concurrency")));
    }

    private enum Result { CANCELLED, RUNNING, FINISHED, PROBLEM }

    private record Answer(Result result, String text) {
    }

    @Override
    public int run(Arguments args, Cli cli) {
        List<BatchFile.Entry> jobs = JobSelection.resolve(args.positionals());
        int concurrency = args.integer("concurrency", 1, 32).orElse(4);
        PacerApi api = Connection.open(args, cli);
        int[] counts = new int[Result.values().length];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "pacer-cancel");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (BatchFile.Entry entry : jobs) {
                answers.add(pool.submit(() -> cancel(api, entry.id())));
            }
            for (int i = 0; i < jobs.size(); i++) {
                BatchFile.Entry entry = jobs.get(i);
                Answer answer = Concurrency.join(answers.get(i));
                counts[answer.result().ordinal()]++;
                String line = entry.id() + entry.name().map(name -> " (" + name + ")").orElse("") + " " + answer.text();
                (answer.result() == Result.PROBLEM ? cli.err() : cli.out()).println(line);
            }
        } finally {
            pool.shutdownNow();
        }
        cli.out().println("cancelled " + counts[Result.CANCELLED.ordinal()] + " of " + ProgressLine.jobs(jobs.size())
                + (counts[Result.RUNNING.ordinal()] > 0 ? "; " + counts[Result.RUNNING.ordinal()] + " running, not tried again" : "")
                + (counts[Result.FINISHED.ordinal()] > 0 ? "; " + counts[Result.FINISHED.ordinal()] + " already finished" : "")
                + (counts[Result.PROBLEM.ordinal()] > 0 ? "; " + counts[Result.PROBLEM.ordinal()] + " problems above" : ""));
        return counts[Result.PROBLEM.ordinal()] == 0 ? Pacer.OK : Pacer.FAILED;
    }

    private static Answer cancel(PacerApi api, String id) {
        try {
            return new Answer(Result.CANCELLED, api.cancel(id).path("status").asText());
        } catch (ApiProblem problem) {
            if (problem.status() == 409 && problem.type().filter(RUNNING::equals).isPresent()) {
                return new Answer(Result.RUNNING, "RUNNING: its provider call goes on, but it will not be tried again");
            }
            if (problem.status() == 409 && problem.type().filter(FINISHED::equals).isPresent()) {
                return new Answer(Result.FINISHED, "not cancelled: " + problem.getMessage());
            }
            return new Answer(Result.PROBLEM, problem.describe());
        } catch (UncheckedIOException e) {
            return new Answer(Result.PROBLEM, e.getMessage());
        }
    }
}
