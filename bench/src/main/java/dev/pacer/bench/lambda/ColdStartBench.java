package dev.pacer.bench.lambda;

import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.localrun.lambda.FunctionDefinition;
import dev.pacer.localrun.lambda.LocalFunction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Cold start of the packaged intake and worker beside a bare Quarkus Lambda with the same extensions (bench/bare-*),
 * all run the way infra/local-run runs them, in the same run, interleaved so that the machine's load drifts over all
 * of them alike: pacer's functions as deployed (primed at start-up) and with priming off; the bare Lambdas as they
 * are (answering without I/O) and making the same AWS calls naively ({@code BARE_SAME_CALLS}), which tells the cost of
 * those calls from the cost of pacer's code. Each repetition starts a fresh JVM: {@code init} is JVM start to the
 * runtime's first {@code invocation/next} (Quarkus booted and primed; what SnapStart restores from a snapshot
 * instead), {@code first event} is that invocation to its response.
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.pacer.bench.lambda.ColdStartBench [repetitions]}.
 */
public final class ColdStartBench {

    private static final Duration INVOCATION_TIMEOUT = Duration.ofMinutes(2);
    /** The simulated provider answers at once: the worker's first event times pacer, not the provider. */
    private static final Map<String, String> EXTRAS = Map.of("PACER_SIMULATED_LATENCY_FACTOR", "0");
    /** Bytes the worker-like baseline uploads: the simulated provider's 0.5K 16:9 PNG of the bench's prompt is 104,145. */
    private static final int IMAGE_BYTES = 104_145;

    record Start(Duration init, Duration firstEvent) {
        Duration total() {
            return init.plus(firstEvent);
        }
    }

    /** One function started cold each repetition: its package and environment, what it is compared with. */
    record Subject(String name, FunctionDefinition function, Map<String, String> extras, Subject bare, Subject bareWithCalls) {
        static Subject baseline(String name, FunctionDefinition function, Map<String, String> extras) {
            return new Subject(name, function, extras, null, null);
        }
    }

    public static void main(String[] args) throws IOException {
        print(measure(args.length > 0 ? Integer.parseInt(args[0]) : 5));
    }

    /** Every subject started cold {@code repetitions} times, interleaved; each first event's answer checked. */
    static Map<Subject, List<Start>> measure(int repetitions) {
        try (PackagedRun run = PackagedRun.start()) {
            FunctionDefinition intakeAsDeployed = run.definition(PackagedRun.INTAKE);
            FunctionDefinition workerAsDeployed = run.definition(PackagedRun.WORKER);
            FunctionDefinition intakeFunction = run.adjusted(intakeAsDeployed, intakeAsDeployed.memoryMb(), INVOCATION_TIMEOUT);
            FunctionDefinition workerFunction = run.adjusted(workerAsDeployed, workerAsDeployed.memoryMb(), INVOCATION_TIMEOUT);
            FunctionDefinition bareHttpFunction = run.outsideTemplate("BareHttpLambda", "bare-http-lambda", intakeFunction);
            FunctionDefinition bareSqsFunction = run.outsideTemplate("BareSqsLambda", "bare-sqs-lambda", workerFunction);

            Subject bareHttp = Subject.baseline("bare HTTP Lambda", bareHttpFunction, EXTRAS);
            Subject bareHttpWithCalls = Subject.baseline("bare HTTP Lambda + the same calls", bareHttpFunction, with(EXTRAS,
                    "BARE_SAME_CALLS", "true", "BARE_QUEUE_URL", run.scratchQueue("pacer-bench-bare-calls")));
            Subject bareSqs = Subject.baseline("bare SQS Lambda", bareSqsFunction, EXTRAS);
            Subject bareSqsWithCalls = Subject.baseline("bare SQS Lambda + the same calls", bareSqsFunction, with(EXTRAS,
                    "BARE_SAME_CALLS", "true", "BARE_IMAGE_BYTES", Integer.toString(IMAGE_BYTES)));
            Subject intake = new Subject("intake", intakeFunction, EXTRAS, bareHttp, bareHttpWithCalls);
            Subject worker = new Subject("worker", workerFunction, EXTRAS, bareSqs, bareSqsWithCalls);
            Map<String, String> noPriming = with(EXTRAS, "PACER_PRIME_ON_START", "false");
            Subject intakeUnprimed = new Subject("intake, not primed", intakeFunction, noPriming, bareHttp, bareHttpWithCalls);
            Subject workerUnprimed = new Subject("worker, not primed", workerFunction, noPriming, bareSqs, bareSqsWithCalls);

            Map<Subject, List<Start>> starts = new LinkedHashMap<>();
            for (Subject subject : List.of(intake, intakeUnprimed, bareHttp, bareHttpWithCalls, worker, workerUnprimed, bareSqs, bareSqsWithCalls)) {
                starts.put(subject, new ArrayList<>());
            }
            Random order = new Random(repetitions); // the same order for the same command line
            for (int rep = 1; rep <= repetitions; rep++) {
                // Each group in a fresh random order, so no subject always follows the same one; the HTTP group
                // first, as its two submissions put the jobs on the queue that the two workers then take.
                byte[] submit = PackagedRun.submitEvent("0.5K", 1);
                byte[] unprimedSubmit = PackagedRun.submitEvent("0.5K", 1);
                inRandomOrder(order,
                        cold(run, starts, intake, submit, PackagedRun::acceptedJobId),
                        cold(run, starts, intakeUnprimed, unprimedSubmit, PackagedRun::acceptedJobId),
                        cold(run, starts, bareHttp, submit, PackagedRun::acceptedJobId),
                        cold(run, starts, bareHttpWithCalls, submit, PackagedRun::acceptedJobId));
                byte[] job = run.nextJobEvent();
                byte[] otherJob = run.nextJobEvent();
                inRandomOrder(order,
                        cold(run, starts, worker, job, response -> succeeded(run, job, response)),
                        cold(run, starts, workerUnprimed, otherJob, response -> succeeded(run, otherJob, response)),
                        cold(run, starts, bareSqs, job, ColdStartBench::noBatchFailures),
                        cold(run, starts, bareSqsWithCalls, job, ColdStartBench::noBatchFailures));
                System.out.printf(Locale.ROOT, "repetition %d: %s%n", rep, summary(starts, rep - 1));
            }
            return starts;
        }
    }

    private static Map<String, String> with(Map<String, String> extras, String... more) {
        Map<String, String> all = new LinkedHashMap<>(extras);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return Map.copyOf(all);
    }

    private static void inRandomOrder(Random order, Runnable... starts) {
        List<Runnable> shuffled = new ArrayList<>(List.of(starts));
        Collections.shuffle(shuffled, order);
        shuffled.forEach(Runnable::run);
    }

    /** One cold start of {@code subject} with its first event, recorded with the subject's others. */
    private static Runnable cold(PackagedRun run, Map<Subject, List<Start>> starts, Subject subject, byte[] payload,
                                 Consumer<byte[]> check) {
        return () -> starts.get(subject).add(coldStart(run, subject, payload, check));
    }

    /** A fresh instance: prewarm (JVM start to the runtime asking for work), then the first event. */
    private static Start coldStart(PackagedRun run, Subject subject, byte[] payload, Consumer<byte[]> check) {
        try (LocalFunction function = run.function(subject.function(), subject.extras(), true)) {
            long began = System.nanoTime();
            function.prewarm();
            long initialised = System.nanoTime();
            byte[] response = PackagedRun.invoke(function, payload, INVOCATION_TIMEOUT);
            long answered = System.nanoTime();
            check.accept(response);
            return new Start(Duration.ofNanos(initialised - began), Duration.ofNanos(answered - initialised));
        }
    }

    /** A worker's answer: no failed message, and the job it was given SUCCEEDED (a FAILED job acknowledges too). */
    private static void succeeded(PackagedRun run, byte[] event, byte[] response) {
        noBatchFailures(response);
        try {
            String body = PackagedRun.JSON.readTree(event).path("Records").path(0).path("body").asText();
            String id = JobMessage.parse(body).orElseThrow(() -> new IllegalStateException("no job in " + body)).value();
            String status = run.jobStatus(id);
            if (!status.equals("SUCCEEDED")) {
                throw new IllegalStateException("job " + id + " ended " + status + ", not SUCCEEDED");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void noBatchFailures(byte[] response) {
        try {
            var answer = PackagedRun.JSON.readTree(response);
            if (answer.path("batchItemFailures").size() != 0) {
                throw new IllegalStateException("the batch failed: " + new String(response));
            }
        } catch (IOException e) {
            throw new IllegalStateException("not a batch response: " + new String(response), e);
        }
    }

    private static String summary(Map<Subject, List<Start>> starts, int index) {
        StringBuilder line = new StringBuilder();
        starts.forEach((subject, list) -> line.append(String.format(Locale.ROOT, "%s %d+%d ms; ", subject.name(),
                list.get(index).init().toMillis(), list.get(index).firstEvent().toMillis())));
        return line.toString();
    }

    private static void print(Map<Subject, List<Start>> starts) throws IOException {
        System.out.println();
        System.out.println("| function | function.zip | init median ms | first event median ms | cold start median ms | all cold starts ms "
                + "| vs bare | vs bare + the same calls |");
        System.out.println("|---|---:|---:|---:|---:|---|---:|---:|");
        for (Subject subject : starts.keySet()) {
            List<Start> own = starts.get(subject);
            long total = medianTotal(own);
            System.out.printf(Locale.ROOT, "| %s | %.1f MB | %d | %d | %d | %s | %s | %s |%n", subject.name(),
                    Files.size(subject.function().codeUri()) / 1e6,
                    median(own.stream().map(s -> s.init().toMillis()).toList()),
                    median(own.stream().map(s -> s.firstEvent().toMillis()).toList()),
                    total,
                    own.stream().map(s -> Long.toString(s.total().toMillis())).toList(),
                    ratio(total, subject.bare() == null ? null : starts.get(subject.bare())),
                    ratio(total, subject.bareWithCalls() == null ? null : starts.get(subject.bareWithCalls())));
        }
    }

    private static String ratio(long total, List<Start> baseline) {
        return baseline == null ? "" : String.format(Locale.ROOT, "%.2f ×", (double) total / medianTotal(baseline));
    }

    private static long medianTotal(List<Start> starts) {
        return median(starts.stream().map(s -> s.total().toMillis()).toList());
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
