package dev.pacer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.aws.calls.AwsCall;
import dev.pacer.aws.calls.AwsCallLog;
import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The batch lane against the sync lane (issue 15): N 1K images with a deadline, per lane (sync, batch, auto), on the
 * simulated provider in the local run. Per lane: the list-price cost (the catalog's sync or batch price per image, by
 * the lane each image was made on; the simulated provider itself bills nothing), the AWS calls per image from the
 * functions' own call log (the benchmark's reads of the jobs left out), and the Lambda GB-seconds per image of the
 * worker and of the batch functions, from the local run's invocation times (1 GB each, as in template.yaml).
 */
public final class BatchLaneBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The catalog's default model, a Gemini one: it has a batch lane. */
    private static final String MODEL = ModelCatalogs.bundled().defaultModel().id();
    /** MemorySize of WorkerFunction, BatchCollectorFunction and BatchPollerFunction in template.yaml. */
    private static final double FUNCTION_GB = 1.0;
    /** How many unfinished jobs one pass of the wait reads before it sleeps. */
    private static final int UNFINISHED_PER_PASS = 50;

    /** One lane's figures. */
    public record Row(String lane, int images, Duration took, BigDecimal listCostUsd, Map<String, Integer> endedOn, long awsCalls,
            double workerGbSeconds, double batchFunctionsGbSeconds) {

        double awsCallsPerImage() {
            return (double) awsCalls / images;
        }
    }

    private BatchLaneBench() {
    }

    public static List<Row> run(int images, Duration deadline, List<String> lanes, Consumer<String> stackLog) throws IOException {
        return run(images, deadline, lanes, stackLog, row -> { });
    }

    /** As {@link #run(int, Duration, List, Consumer)}, handing each lane's row to {@code laneDone} as soon as it is measured. */
    public static List<Row> run(int images, Duration deadline, List<String> lanes, Consumer<String> stackLog, Consumer<Row> laneDone)
            throws IOException {
        Path callLog = Files.createTempFile("pacer-batch-lane-calls", ".tsv");
        int batchLines = Math.min(1_000, Math.max(1, images));
        LocalRunOptions options = LocalRunOptions.forTests().withLatencyFactor("0.02").withScheduleScale(0.1)
                .withEnvironment("PACER_BATCH_MIN_LINES", Integer.toString(batchLines))
                .withEnvironment("PACER_BATCH_MAX_LINES", Integer.toString(batchLines))
                .withEnvironment("PACER_BATCH_MAX_AGE", "PT15S")
                // one caller submits every image of a lane at once: the cap on a caller's unfinished jobs (1,000) is off
                .withEnvironment("PACER_CALLERS_MAX_UNFINISHED_JOBS", "0")
                .withAwsCallLog(callLog).withLog(stackLog);
        PriceTable prices = PriceTable.of(ModelCatalogs.bundled());
        List<Row> rows = new ArrayList<>();
        try (LocalRun localRun = LocalRun.start(options)) {
            for (String lane : lanes) {
                int callsBefore = AwsCallLog.read(callLog).size();
                Duration workerBefore = localRun.busyTime("WorkerFunction");
                Duration batchBefore = localRun.busyTime("BatchCollectorFunction").plus(localRun.busyTime("BatchPollerFunction"));
                Instant start = Instant.now();
                List<String> ids = submitAll(localRun.apiUrl(), images, lane, start.plus(deadline));
                List<JsonNode> done = awaitAll(localRun.apiUrl(), ids);
                Duration took = Duration.between(start, Instant.now());
                sleep(Duration.ofSeconds(3)); // the last writes of the poller's run
                List<AwsCall> calls = AwsCallLog.read(callLog);
                long awsCalls = calls.subList(callsBefore, calls.size()).stream().filter(BatchLaneBench::madeForTheJobs).count();
                BigDecimal cost = BigDecimal.ZERO;
                Map<String, Integer> endedOn = new TreeMap<>();
                for (JsonNode job : done) {
                    endedOn.merge(job.path("status").asText() + " on " + job.path("lane").asText(), 1, Integer::sum);
                    for (JsonNode call : job.path("attemptLog")) {
                        int made = call.path("images").asInt();
                        cost = cost.add(call.path("provider").asText().endsWith("-batch")
                                ? prices.batchEstimate(MODEL, Resolution.ONE_K, made) : prices.estimate(MODEL, Resolution.ONE_K, made));
                    }
                }
                Duration batchBusy = localRun.busyTime("BatchCollectorFunction").plus(localRun.busyTime("BatchPollerFunction")).minus(batchBefore);
                Row row = new Row(lane, images, took, cost, endedOn, awsCalls,
                        seconds(localRun.busyTime("WorkerFunction").minus(workerBefore)) * FUNCTION_GB,
                        seconds(batchBusy) * FUNCTION_GB);
                rows.add(row);
                laneDone.accept(row);
            }
        }
        return rows;
    }

    /** Every call the functions made, but the benchmark's own GETs of its jobs. */
    private static boolean madeForTheJobs(AwsCall call) {
        boolean benchRead = call.function().equals("IntakeFunction")
                && (call.adapter().startsWith("DynamoDbJobStore.find") || call.adapter().startsWith("DynamoDbBatchStore.find"));
        return !benchRead && !call.function().equals("ReleaseParkedJobsFunction");
    }

    public static void main(String[] args) throws IOException {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Duration deadline = Duration.ofHours(args.length > 1 ? Long.parseLong(args[1]) : 36);
        List<String> lanes = args.length > 2 ? List.of(args[2].split(",")) : List.of("sync", "batch", "auto");
        // each lane's row as it ends: a long run that is stopped keeps the lanes it finished
        // the functions' log goes to the file given fourth, else nowhere
        java.io.PrintStream stack = args.length > 3 ? new java.io.PrintStream(Files.newOutputStream(Path.of(args[3])), true) : null;
        List<Row> rows = run(images, deadline, lanes, line -> {
            if (stack != null) {
                stack.println(line);
            }
        }, row -> System.out.println(table(List.of(row))));
        System.out.println(table(rows));
    }

    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("| lane | images | took | list cost (USD) | per image | ended | AWS calls/image | worker GB-s/image "
                + "| collector+poller GB-s/image |\n|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format("| %s | %d | %ds | %s | %s | %s | %.2f | %.4f | %.4f |%n", row.lane(), row.images(), row.took().toSeconds(),
                    row.listCostUsd().toPlainString(), row.listCostUsd().divide(BigDecimal.valueOf(row.images()), 5, java.math.RoundingMode.HALF_UP),
                    row.endedOn(), row.awsCallsPerImage(), row.workerGbSeconds() / row.images(), row.batchFunctionsGbSeconds() / row.images()));
        }
        return out.toString();
    }

    private static List<String> submitAll(URI api, int images, String lane, Instant deadline) {
        String at = deadline.truncatedTo(ChronoUnit.SECONDS).toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int n = 0; n < images; n++) {
                String body = "{\"prompt\":\"bench " + lane + " " + n + "\",\"model\":\"" + MODEL + "\",\"resolution\":\"1K\",\"lane\":\""
                        + lane + "\",\"deadline\":\"" + at + "\"}";
                ids.add(pool.submit(() -> JSON.readTree(send(api, HttpRequest.newBuilder(api.resolve("/v1/generations"))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 202)).get("id").asText()));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> id : ids) {
                out.add(id.get());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("submission failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<JsonNode> awaitAll(URI api, List<String> ids) throws IOException {
        Map<String, JsonNode> done = new TreeMap<>();
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(30).plusSeconds(ids.size()));
        while (done.size() < ids.size()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException((ids.size() - done.size()) + " jobs unfinished");
            }
            // Jobs end roughly in the order they were sent, so a pass stops after a few unfinished ones: 10,000 reads a
            // second would load the emulator the functions measured here depend on.
            int unfinished = 0;
            for (String id : ids) {
                if (done.containsKey(id)) {
                    continue;
                }
                JsonNode job = JSON.readTree(send(api, HttpRequest.newBuilder(api.resolve("/v1/generations/" + id)).GET(), 200));
                String status = job.path("status").asText();
                if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                    done.put(id, job);
                } else if (++unfinished == UNFINISHED_PER_PASS) {
                    break;
                }
            }
            sleep(Duration.ofSeconds(1));
        }
        return new ArrayList<>(done.values());
    }

    private static String send(URI api, HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> answer = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != expected) {
                throw new IllegalStateException("HTTP " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
