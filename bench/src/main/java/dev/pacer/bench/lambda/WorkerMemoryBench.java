package dev.pacer.bench.lambda;

import dev.pacer.localrun.lambda.FunctionDefinition;
import dev.pacer.localrun.lambda.LocalFunction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The smallest worker MemorySize that still finishes a 4K job: the packaged worker runs with the heap Lambda's java21
 * runtime gives that memory (85 %, serial GC, as infra/local-run launches it) on a job of {@code count} simulated 4K
 * images, and its peak resident set (VmHWM) is read before it stops. In Lambda the whole process must fit the
 * MemorySize, so a setting passes only if the job SUCCEEDED and the peak RSS stayed under it.
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.pacer.bench.lambda.WorkerMemoryBench
 * [count latencyFactor memoryMb...]}.
 */
public final class WorkerMemoryBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        String latencyFactor = args.length > 1 ? args[1] : "0.02";
        int[] memories = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {256, 384, 512, 768, 1024};
        Map<String, String> extras = Map.of("PACER_SIMULATED_LATENCY_FACTOR", latencyFactor);
        try (PackagedRun run = PackagedRun.start();
             LocalFunction intake = run.function(run.adjusted(run.definition(PackagedRun.INTAKE), 1024, TIMEOUT), extras, true)) {
            FunctionDefinition worker = run.definition(PackagedRun.WORKER);
            System.out.printf(Locale.ROOT, "a job of %d simulated 4K image(s), latency factor %s%n%n", count, latencyFactor);
            System.out.println("| MemorySize MB | heap MB | job | worker wall s | peak RSS MB | fits |");
            System.out.println("|---:|---:|---|---:|---:|---|");
            for (int memory : memories) {
                String jobId = PackagedRun.acceptedJobId(PackagedRun.invoke(intake, PackagedRun.submitEvent("4K", count), TIMEOUT));
                byte[] event = run.nextJobEvent();
                String outcome;
                long peakKb = 0;
                long began = System.nanoTime();
                try (LocalFunction constrained = run.function(run.adjusted(worker, memory, TIMEOUT), extras, false)) {
                    Set<Long> before = children();
                    constrained.prewarm();
                    Optional<Long> pid = children().stream().filter(p -> !before.contains(p)).findFirst();
                    try {
                        PackagedRun.invoke(constrained, event, TIMEOUT);
                        outcome = run.jobStatus(jobId);
                    } catch (IllegalStateException e) {
                        outcome = "died: " + e.getMessage().lines().findFirst().orElse("");
                    }
                    peakKb = pid.map(WorkerMemoryBench::peakRssKb).orElse(0L);
                }
                double seconds = (System.nanoTime() - began) / 1e9;
                boolean fits = outcome.equals("SUCCEEDED") && peakKb > 0 && peakKb / 1024 <= memory;
                System.out.printf(Locale.ROOT, "| %d | %d | %s | %.1f | %d | %s |%n", memory, Math.max(64, memory * 85 / 100), outcome,
                        seconds, peakKb / 1024, fits ? "yes" : "no");
            }
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** VmHWM of a live process, from /proc (Linux). */
    private static long peakRssKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst().orElse(0L);
        } catch (IOException gone) {
            return 0;
        }
    }
}
