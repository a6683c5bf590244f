package dev.pacer.bench.lambda;

import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.bench.memory.RealSizeGemini;
import dev.pacer.localrun.lambda.FunctionDefinition;
import dev.pacer.localrun.lambda.LocalFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The worst batch the template allows, on the packaged worker at the template's memory: {@code jobs} jobs (the SQS
 * event's BatchSize, 4) of {@code count} 4K images (the most a job may ask for, 4) in one event, from a local Gemini
 * answering with real-size images ({@link RealSizeGemini}). The worker runs as infra/local-run runs it (heap 85 % of
 * MemorySize, serial GC) with a GC log; the peak heap is the most the heap held at any collection. Messages the
 * worker sends back to the queue (jobs that found no room) are delivered again, one event at a time, as Lambda would
 * to another instance, until every job has ended or {@code rounds} events were delivered.
 *
 * <p>Run: {@code java -cp $CP dev.pacer.bench.lambda.WorstBatchBench [imageMb latencySeconds memoryMb jobs count model workerZip]}.
 */
public final class WorstBatchBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern MESSAGE = Pattern.compile("\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final int ROUNDS = 8;

    private WorstBatchBench() {
    }

    /** What a run came to: jobs SUCCEEDED, the most provider calls at once, the worker's OutOfMemoryError lines. */
    record Outcome(long succeeded, int mostCallsAtOnce, long outOfMemoryLines) {
    }

    public static void main(String[] args) throws IOException {
        double imageMb = args.length > 0 ? Double.parseDouble(args[0]) : 25;
        Duration latency = Duration.ofMillis(Math.round((args.length > 1 ? Double.parseDouble(args[1]) : 10) * 1000));
        int memory = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        int jobs = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int count = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        String model = args.length > 5 ? args[5] : ModelCatalogs.bundled().defaultModel().id();
        Optional<Path> workerZip = args.length > 6 ? Optional.of(Path.of(args[6])) : Optional.empty();
        measure(imageMb, latency, memory, jobs, count, model, workerZip);
    }

    /** Runs the batch and prints its tables. */
    static Outcome measure(double imageMb, Duration latency, int memory, int jobs, int count, String model, Optional<Path> workerZip)
            throws IOException {
        Path gcLog = Files.createTempFile("pacer-worst-batch-gc", ".log");
        List<String> workerLines = new CopyOnWriteArrayList<>();
        int imageBytes = (int) Math.round(imageMb * 1024 * 1024);
        try (RealSizeGemini gemini = new RealSizeGemini(imageBytes, latency); PackagedRun run = PackagedRun.start()) {
            Map<String, String> extras = new LinkedHashMap<>();
            extras.put("PACER_GEMINI_API_KEY", "bench-key");
            extras.put("PACER_GEMINI_BASE_URL", gemini.baseUrl().toString());
            FunctionDefinition template = run.definition(PackagedRun.WORKER);
            FunctionDefinition worker = run.adjusted(template, memory, TIMEOUT);
            if (workerZip.isPresent()) {
                worker = new FunctionDefinition(worker.logicalId(), workerZip.get(), worker.handler(), worker.timeout(), worker.memoryMb(),
                        worker.environment(), worker.events());
            }
            Map<String, String> workerExtras = new LinkedHashMap<>(extras);
            workerExtras.put("JAVA_TOOL_OPTIONS", (run.globalVariable(template, "JAVA_TOOL_OPTIONS") + " -Xlog:gc:file=" + gcLog).strip());
            List<String> ids = new ArrayList<>();
            try (LocalFunction intake = run.function(run.adjusted(run.definition(PackagedRun.INTAKE), 1024, TIMEOUT), extras, true)) {
                for (int i = 0; i < jobs; i++) {
                    ids.add(PackagedRun.acceptedJobId(PackagedRun.invoke(intake, PackagedRun.submitEvent(model, "4K", count), TIMEOUT)));
                }
            }
            System.out.printf(Locale.ROOT, "%d jobs of %d × 4K (%s), images of %.1f MiB (base64 %.1f M characters), provider latency %s, "
                    + "worker %d MB (heap %d MB)%s%n", jobs, count, model, imageMb, gemini.base64Length() / 1e6, latency, memory,
                    Math.max(64, memory * 85 / 100), workerZip.map(zip -> ", worker " + zip).orElse(""));
            long began = System.nanoTime();
            long peakRssKb;
            int events = 0;
            AtomicLong outOfMemory = new AtomicLong();
            try (LocalFunction function = run.function(worker, workerExtras, line -> {
                workerLines.add(line);
                if (line.contains("OutOfMemoryError")) {
                    outOfMemory.incrementAndGet();
                }
            })) {
                Set<Long> before = children();
                function.prewarm();
                Optional<Long> pid = children().stream().filter(p -> !before.contains(p)).findFirst();
                List<Message> batch = run.jobMessages(jobs, Duration.ofSeconds(30));
                while (!batch.isEmpty() && events < ROUNDS) {
                    events++;
                    System.out.printf(Locale.ROOT, "event %d: %d message(s)%n", events, batch.size());
                    try {
                        PackagedRun.invoke(function, run.jobEvent(batch), TIMEOUT);
                    } catch (IllegalStateException e) {
                        System.out.println("  the invocation failed: " + e.getMessage().lines().findFirst().orElse(""));
                    }
                    batch = ids.stream().allMatch(id -> finished(run.jobStatus(id))) ? List.of() : run.jobMessages(jobs, Duration.ofSeconds(3));
                }
                peakRssKb = pid.map(WorstBatchBench::peakRssKb).orElse(0L);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            int[] heap = peakHeap(gcLog);
            System.out.println();
            System.out.println("| job | status | attempts | error | attempt log |");
            System.out.println("|---|---|---:|---|---|");
            for (String id : ids) {
                Map<String, AttributeValue> item = run.jobItem(id);
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", id.substring(0, 8), text(item, "status"), number(item, "attempts"),
                        text(item, "errorType"), attemptLog(item));
            }
            long succeeded = ids.stream().filter(id -> run.jobStatus(id).equals("SUCCEEDED")).count();
            System.out.println();
            System.out.println("| MemorySize MB | heap MB | jobs × images | SUCCEEDED | events | calls answered | most calls at once "
                    + "| peak heap used MB | most live after a full GC MB | GCs | peak RSS MB | OutOfMemoryError lines | wall s |");
            System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| %d | %d | %d × %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f |%n", memory, heap[1], jobs,
                    count, succeeded, events, gemini.answered(), gemini.mostInFlight(), heap[0], heap[3], heap[2], peakRssKb / 1024,
                    outOfMemory.get(), seconds);
            workerLines.stream().filter(line -> line.contains("OutOfMemoryError") || line.contains("no room") || line.contains("images in flight:"))
                    .limit(8).forEach(line -> System.out.println("  worker: " + message(line)));
            return new Outcome(succeeded, gemini.mostInFlight(), outOfMemory.get());
        }
    }

    /** The message of a JSON log line, or the line. */
    private static String message(String line) {
        Matcher m = MESSAGE.matcher(line);
        String text = m.find() ? m.group(1) : line;
        return text.length() > 240 ? text.substring(0, 240) + "…" : text;
    }

    private static boolean finished(String status) {
        return status.equals("SUCCEEDED") || status.equals("FAILED");
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : "";
    }

    private static String number(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).n() : "";
    }

    private static String attemptLog(Map<String, AttributeValue> item) {
        if (!item.containsKey("attemptLog")) {
            return "";
        }
        return item.get("attemptLog").l().stream().map(entry -> {
            Map<String, AttributeValue> m = entry.m();
            String outcome = m.containsKey("outcome") ? m.get("outcome").s() : "?";
            return m.containsKey("errorType") ? outcome + " " + m.get("errorType").s() : outcome;
        }).collect(Collectors.joining(", "));
    }

    /**
     * From a -Xlog:gc file: the most heap in use before any collection (garbage included), the heap's largest size,
     * the number of collections, and the most left after a full collection (what was really held then).
     */
    static int[] peakHeap(Path gcLog) throws IOException {
        int peak = 0;
        int size = 0;
        int collections = 0;
        int live = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                collections++;
                peak = Math.max(peak, Integer.parseInt(m.group(1)));
                size = Math.max(size, Integer.parseInt(m.group(3)));
                if (line.contains("Pause Full")) {
                    live = Math.max(live, Integer.parseInt(m.group(2)));
                }
            }
        }
        return new int[] {peak, size, collections, live};
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
