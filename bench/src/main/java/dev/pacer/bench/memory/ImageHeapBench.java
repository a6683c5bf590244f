package dev.pacer.bench.memory;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.providers.gemini.GeminiImageProvider;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How much heap the Gemini adapter needs per 4K image: the smallest {@code -Xmx} at which one call of {@code count}
 * real-size images (see {@link RealSizeGemini}) comes back with every image, found by bisection over child JVMs that
 * run the adapter alone with the serial GC, as Lambda's java runtime does. The answers are served from this process,
 * so the child's heap holds only what the adapter makes of them.
 *
 * <p>Run: {@code java -cp $CP dev.pacer.bench.memory.ImageHeapBench [imageMb counts...]}, e.g. {@code 25 1 4}.
 */
public final class ImageHeapBench {

    static final int FLOOR_MB = 16;
    static final int CEILING_MB = 4096;
    static final int STEP_MB = 4;

    /** What a child JVM came to at one heap size. */
    record Run(int heapMb, boolean ok, String outcome) {
    }

    public static void main(String[] args) throws Exception {
        double imageMb = args.length > 0 ? Double.parseDouble(args[0]) : 25;
        int[] counts = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1, 4};
        int imageBytes = (int) Math.round(imageMb * 1024 * 1024);
        try (RealSizeGemini gemini = new RealSizeGemini(imageBytes, Duration.ZERO)) {
            System.out.printf(Locale.ROOT, "image %.1f MiB, base64 %.1f M characters%n%n", imageMb, gemini.base64Length() / 1e6);
            System.out.println("| images per call | smallest heap that works MB | what the next smaller heap came to |");
            System.out.println("|---:|---:|---|");
            for (int count : counts) {
                List<Run> runs = bisect(gemini.baseUrl(), count, imageBytes);
                Run smallest = runs.stream().filter(Run::ok).mapToInt(Run::heapMb).min()
                        .stream().mapToObj(mb -> runs.stream().filter(r -> r.ok() && r.heapMb() == mb).findFirst().orElseThrow())
                        .findFirst().orElse(null);
                Run largestFailed = runs.stream().filter(r -> !r.ok()).max((a, b) -> Integer.compare(a.heapMb(), b.heapMb())).orElse(null);
                System.out.printf(Locale.ROOT, "| %d | %s | %s |%n", count, smallest == null ? "none up to " + CEILING_MB : smallest.heapMb(),
                        largestFailed == null ? "" : largestFailed.heapMb() + " MB: " + largestFailed.outcome());
            }
        }
    }

    /** Bisects the heap between {@link #FLOOR_MB} and {@link #CEILING_MB} to {@link #STEP_MB}. */
    static List<Run> bisect(URI baseUrl, int count, int imageBytes) throws IOException, InterruptedException {
        List<Run> runs = new ArrayList<>();
        Run top = child(baseUrl, count, imageBytes, CEILING_MB);
        runs.add(top);
        if (!top.ok()) {
            return runs;
        }
        int lo = FLOOR_MB;
        int hi = CEILING_MB;
        while (hi - lo > STEP_MB) {
            int mid = (lo + hi) / 2;
            Run run = child(baseUrl, count, imageBytes, mid);
            runs.add(run);
            if (run.ok()) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return runs;
    }

    static Run child(URI baseUrl, int count, int imageBytes, int heapMb) throws IOException, InterruptedException {
        List<String> command = List.of(Path.java(), "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), baseUrl.toString(), Integer.toString(count), Integer.toString(imageBytes));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Run(heapMb, false, "no answer in 5 minutes");
        }
        String last = new String(output, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("");
        System.err.printf(Locale.ROOT, "  %d image(s) at -Xmx%dm: %s%n", count, heapMb, last);
        return new Run(heapMb, process.exitValue() == 0, last);
    }

    private static final class Path {
        static String java() {
            return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        }
    }

    /** One call of {@code count} 4K images through the adapter; exit 0 when every image came back whole. */
    public static final class Child {
        public static void main(String[] args) {
            URI baseUrl = URI.create(args[0]);
            int count = Integer.parseInt(args[1]);
            int imageBytes = Integer.parseInt(args[2]);
            try {
                GeminiImageProvider provider = new GeminiImageProvider(ProviderTimeouts.standard(), ModelCatalogs.bundled());
                ProviderOutcome outcome = provider.generate(new GenerationRequest("a lighthouse at dusk", ModelCatalogs.bundled().defaultModel().id(),
                        Resolution.FOUR_K, "1:1", count, Map.of()), new ProviderAccount("bench", "gemini", baseUrl, "bench-key"));
                boolean whole = outcome instanceof ProviderOutcome.Generated generated && generated.images().size() == count
                        && generated.images().stream().allMatch(image -> image.bytes().length == imageBytes);
                System.out.println(whole ? "Generated, " + count + " whole image(s)" : describe(outcome));
                System.exit(whole ? 0 : 2);
            } catch (Throwable thrown) {
                Throwable cause = thrown;
                while (cause.getCause() != null && !(cause instanceof OutOfMemoryError)) {
                    cause = cause.getCause();
                }
                System.out.println("threw " + cause);
                System.exit(3);
            }
        }

        private static String describe(ProviderOutcome outcome) {
            return outcome.missing().map(f -> f.getClass().getSimpleName() + " " + f.type() + ": "
                    + (f.message().length() > 160 ? f.message().substring(0, 160) + "…" : f.message())).orElse(outcome.toString());
        }
    }
}
