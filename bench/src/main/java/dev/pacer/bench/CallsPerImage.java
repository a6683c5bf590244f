package dev.pacer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.aws.calls.AwsCall;
import dev.pacer.aws.calls.AwsCallLog;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.localrun.moto.AwsClients;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AWS calls per image on the happy path: the packaged intake and worker in the local run, each SDK call they make
 * recorded by their call-log interceptor ({@code PACER_AWS_CALL_LOG}), one 1K job on the simulated provider at a
 * time, submitted over HTTP and awaited in DynamoDB directly (so the status reads are not counted). The SQS polling
 * is the local run's own, as it is Lambda's in AWS: not counted.
 * <p>
 * {@code java -cp ... dev.pacer.bench.CallsPerImage [jobs]} prints one table per job (default 2: a fresh worker,
 * then the same worker warm).
 */
public final class CallsPerImage {

    /** The functions a job passes through when all goes well (not the dead-letter recorder or the parked-job release). */
    public static final Set<String> HAPPY_PATH_FUNCTIONS = Set.of("IntakeFunction", "WorkerFunction");
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    /** A call is logged just after its response: the job may be SUCCEEDED in DynamoDB a moment before its last line. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The calls made for one job, in the order they were made. */
    public record JobCalls(String jobId, List<AwsCall> calls) {
        public JobCalls {
            calls = List.copyOf(calls);
        }
    }

    private CallsPerImage() {
    }

    /** Starts the local run with one worker instance, runs {@code jobs} 1K jobs one after another. */
    public static List<JobCalls> measure(int jobs, Path callLog, java.util.function.Consumer<String> stackLog) {
        LocalRunOptions options = LocalRunOptions.forTests().withWorkers(1).withLatencyFactor("0.05")
                .withAwsCallLog(callLog).withLog(stackLog);
        List<JobCalls> measured = new ArrayList<>();
        try (LocalRun localRun = LocalRun.start(options); AwsClients aws = localRun.awsClients()) {
            for (int n = 0; n < jobs; n++) {
                int before = AwsCallLog.read(callLog).size();
                String id = submit(localRun.apiUrl());
                awaitSucceeded(aws, localRun.resources().physicalId("JobsTable"), id);
                awaitQuiet(callLog);
                List<AwsCall> all = AwsCallLog.read(callLog);
                measured.add(new JobCalls(id, all.subList(before, all.size()).stream()
                        .filter(call -> HAPPY_PATH_FUNCTIONS.contains(call.function())).toList()));
            }
        }
        return measured;
    }

    public static void main(String[] args) throws IOException {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path callLog = Files.createTempFile("pacer-aws-calls", ".tsv");
        List<JobCalls> measured = measure(jobs, callLog, System.err::println);
        for (int n = 0; n < measured.size(); n++) {
            JobCalls job = measured.get(n);
            System.out.printf("%njob %d (%s): %d AWS calls%n%n", n + 1, job.jobId(), job.calls().size());
            System.out.print(table(job.calls()));
        }
        System.out.println("\nraw log: " + callLog);
    }

    /** A Markdown table: one row per distinct call site and outcome, in the order first made. */
    public static String table(List<AwsCall> calls) {
        Map<AwsCall, Integer> counts = new LinkedHashMap<>();
        calls.forEach(call -> counts.merge(call, 1, Integer::sum));
        StringBuilder out = new StringBuilder("| function | service | operation | outcome | made in | for | calls |\n"
                + "|---|---|---|---|---|---|---:|\n");
        counts.forEach((call, count) -> out.append(String.format("| %s | %s | %s | %s | `%s` | `%s` | %d |%n", call.function(),
                call.service(), call.operation(), call.outcome(), call.adapter(), call.useCase(), count)));
        return out.append(String.format("| **total** | | | | | | **%d** |%n", calls.size())).toString();
    }

    private static String submit(URI api) {
        try {
            HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(api.resolve("/v1/generations"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a lighthouse at dusk\",\"resolution\":\"1K\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("submission refused: " + accepted.statusCode() + " " + accepted.body());
            }
            return JSON.readTree(accepted.body()).get("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void awaitSucceeded(AwsClients aws, String jobsTable, String id) {
        Instant deadline = Instant.now().plus(JOB_TIMEOUT);
        String status = "none";
        while (Instant.now().isBefore(deadline)) {
            Map<String, AttributeValue> item = aws.dynamoDb().getItem(get -> get.tableName(jobsTable)
                    .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
            status = item.containsKey("status") ? item.get("status").s() : "none";
            if (status.equals("SUCCEEDED")) {
                return;
            }
            if (status.equals("FAILED")) {
                throw new IllegalStateException("job " + id + " FAILED: " + item);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("job " + id + " not SUCCEEDED within " + JOB_TIMEOUT + "; last status " + status);
    }

    private static void awaitQuiet(Path callLog) {
        int seen = -1;
        int now = AwsCallLog.read(callLog).size();
        while (now != seen) {
            seen = now;
            sleep(QUIET);
            now = AwsCallLog.read(callLog).size();
        }
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
