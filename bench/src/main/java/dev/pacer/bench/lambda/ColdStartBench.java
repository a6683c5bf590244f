package dev.pacer.bench.lambda;

import dev.pacer.localstack.FunctionDefinition;
import dev.pacer.localstack.LocalFunction;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cold start of the packaged intake and worker beside a bare Quarkus Lambda with the same extensions (bench/bare-*),
 * all four run the way infra/local-stack runs them, in the same run, interleaved so that the machine's load drifts
 * over all of them alike. Each repetition starts a fresh JVM: {@code init} is JVM start to the runtime's first
 * {@code invocation/next} (Quarkus booted; what SnapStart restores from a snapshot instead), {@code first event} is
 * that invocation to its response (for pacer's functions: the lazily built SDK clients and the first calls to moto).
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.pacer.bench.lambda.ColdStartBench [repetitions]}.
 */
public final class ColdStartBench {

    private static final Duration INVOCATION_TIMEOUT = Duration.ofMinutes(2);
    /** The simulated provider answers at once: the worker's first event times pacer, not the provider. */
    private static final Map<String, String> EXTRAS = Map.of("PACER_SIMULATED_LATENCY_FACTOR", "0");

    record Start(Duration init, Duration firstEvent) {
        Duration total() {
            return init.plus(firstEvent);
        }
    }

    public static void main(String[] args) throws IOException {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (PackagedRun run = PackagedRun.start()) {
            FunctionDefinition intakeAsDeployed = run.definition(PackagedRun.INTAKE);
            FunctionDefinition workerAsDeployed = run.definition(PackagedRun.WORKER);
            FunctionDefinition intake = run.adjusted(intakeAsDeployed, intakeAsDeployed.memoryMb(), INVOCATION_TIMEOUT);
            FunctionDefinition worker = run.adjusted(workerAsDeployed, workerAsDeployed.memoryMb(), INVOCATION_TIMEOUT);
            FunctionDefinition bareHttp = run.outsideTemplate("BareHttpLambda", "bare-http-lambda", intake);
            FunctionDefinition bareSqs = run.outsideTemplate("BareSqsLambda", "bare-sqs-lambda", worker);
            Map<FunctionDefinition, List<Start>> starts = new LinkedHashMap<>();
            for (FunctionDefinition f : List.of(intake, bareHttp, worker, bareSqs)) {
                starts.put(f, new ArrayList<>());
            }
            for (int rep = 1; rep <= repetitions; rep++) {
                byte[] submit = PackagedRun.submitEvent("0.5K", 1);
                final byte[][] jobEvent = new byte[1][];
                starts.get(intake).add(coldStart(run, intake, () -> submit, response -> PackagedRun.acceptedJobId(response)));
                starts.get(bareHttp).add(coldStart(run, bareHttp, () -> submit, response -> PackagedRun.acceptedJobId(response)));
                starts.get(worker).add(coldStart(run, worker, () -> jobEvent[0] = run.nextJobEvent(), ColdStartBench::noBatchFailures));
                starts.get(bareSqs).add(coldStart(run, bareSqs, () -> jobEvent[0], ColdStartBench::noBatchFailures));
                System.out.printf(Locale.ROOT, "repetition %d: %s%n", rep, summary(starts, rep - 1));
            }
            print(starts, intake, bareHttp, worker, bareSqs);
        }
    }

    /** A fresh instance: prewarm (JVM start to the runtime asking for work), then the first event. */
    private static Start coldStart(PackagedRun run, FunctionDefinition definition, Supplier<byte[]> event,
                                   java.util.function.Consumer<byte[]> check) {
        byte[] payload = event.get();
        try (LocalFunction function = run.function(definition, EXTRAS, true)) {
            long began = System.nanoTime();
            function.prewarm();
            long initialised = System.nanoTime();
            byte[] response = PackagedRun.invoke(function, payload, INVOCATION_TIMEOUT);
            long answered = System.nanoTime();
            check.accept(response);
            return new Start(Duration.ofNanos(initialised - began), Duration.ofNanos(answered - initialised));
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

    private static String summary(Map<FunctionDefinition, List<Start>> starts, int index) {
        StringBuilder line = new StringBuilder();
        starts.forEach((f, list) -> line.append(String.format(Locale.ROOT, "%s %d+%d ms; ", f.logicalId(),
                list.get(index).init().toMillis(), list.get(index).firstEvent().toMillis())));
        return line.toString();
    }

    private static void print(Map<FunctionDefinition, List<Start>> starts, FunctionDefinition intake, FunctionDefinition bareHttp,
                              FunctionDefinition worker, FunctionDefinition bareSqs) throws IOException {
        System.out.println();
        System.out.println("| function | function.zip | init median ms | first event median ms | cold start median ms | all cold starts ms | vs bare |");
        System.out.println("|---|---:|---:|---:|---:|---|---:|");
        row(starts, intake, bareHttp);
        row(starts, bareHttp, bareHttp);
        row(starts, worker, bareSqs);
        row(starts, bareSqs, bareSqs);
    }

    private static void row(Map<FunctionDefinition, List<Start>> starts, FunctionDefinition f, FunctionDefinition bare) throws IOException {
        List<Start> own = starts.get(f);
        long total = median(own.stream().map(s -> s.total().toMillis()).toList());
        long bareTotal = median(starts.get(bare).stream().map(s -> s.total().toMillis()).toList());
        System.out.printf(Locale.ROOT, "| %s | %.1f MB | %d | %d | %d | %s | %.2f × |%n", f.logicalId(),
                Files.size(f.codeUri()) / 1e6,
                median(own.stream().map(s -> s.init().toMillis()).toList()),
                median(own.stream().map(s -> s.firstEvent().toMillis()).toList()),
                total,
                own.stream().map(s -> Long.toString(s.total().toMillis())).toList(),
                (double) total / bareTotal);
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
