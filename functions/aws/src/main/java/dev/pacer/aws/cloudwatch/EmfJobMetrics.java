package dev.pacer.aws.cloudwatch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.port.JobMetrics;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Job metrics as CloudWatch embedded metric format: one JSON line per event on stdout, which Lambda sends to the
 * function's log group, where CloudWatch turns it into metrics in the {@value #NAMESPACE} namespace — no API call,
 * nothing to flush. Every metric is published per {@code Service} (the stack) and most also per model and
 * resolution, per failure type or per provider; dimensions stay few. The job id is a plain property (searchable in
 * Logs Insights, never a dimension); the prompt never appears.
 */
public final class EmfJobMetrics implements JobMetrics {

    public static final String NAMESPACE = "Pacer";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> SERVICE = List.of("Service");
    private static final List<String> BY_MODEL_AND_RESOLUTION = List.of("Service", "Model", "Resolution");
    private static final List<String> BY_MODEL = List.of("Service", "Model");
    private static final List<String> BY_REASON = List.of("Service", "Reason");
    private static final List<String> BY_PROVIDER = List.of("Service", "Provider");

    private final String service;
    private final Clock clock;
    private final Consumer<String> lines;

    /** @param lines where each line goes: stdout when deployed ({@link #toStdout}) */
    public EmfJobMetrics(String service, Clock clock, Consumer<String> lines) {
        this.service = service;
        this.clock = clock;
        this.lines = lines;
    }

    /** Lines on {@code System.out} as it is when each is written. */
    public static EmfJobMetrics toStdout(String service, Clock clock) {
        return new EmfJobMetrics(service, clock, line -> System.out.println(line));
    }

    private record Metric(String name, String unit, BigDecimal value) {
    }

    private record Directive(List<List<String>> dimensions, List<Metric> metrics) {
    }

    @Override
    public void submitted(Job job) {
        write(job, Map.of(), new Directive(List.of(SERVICE, BY_MODEL_AND_RESOLUTION), List.of(
                count("Submitted"), new Metric("RequestedImages", "Count", BigDecimal.valueOf(job.request().count())))));
    }

    @Override
    public void firstCallStarting(Job job, Duration queued) {
        write(job, Map.of(), new Directive(List.of(SERVICE, BY_MODEL_AND_RESOLUTION), List.of(
                new Metric("QueueWait", "Milliseconds", BigDecimal.valueOf(queued.toMillis())))));
    }

    @Override
    public void called(Job job, Attempt attempt) {
        List<Directive> directives = new ArrayList<>();
        directives.add(new Directive(List.of(SERVICE, BY_MODEL_AND_RESOLUTION), List.of(
                new Metric("EstimatedCostUsd", "None", attempt.estimatedCostUsd()))));
        if (attempt.outcome() == Attempt.Outcome.GENERATED) {
            directives.add(new Directive(List.of(BY_MODEL_AND_RESOLUTION), List.of(
                    new Metric("GenerationLatency", "Milliseconds", BigDecimal.valueOf(attempt.latency().toMillis())),
                    new Metric("GeneratedImages", "Count", BigDecimal.valueOf(attempt.images())))));
        }
        if (attempt.outcome() == Attempt.Outcome.RATE_LIMITED) {
            directives.add(new Directive(List.of(SERVICE, BY_PROVIDER), List.of(count("ProviderThrottled"))));
        }
        write(job, Map.of("Provider", attempt.provider(), "account", attempt.account(), "outcome", attempt.outcome().name(),
                "attempt", String.valueOf(attempt.number()), "errorType", attempt.errorType().orElse("")),
                directives.toArray(Directive[]::new));
    }

    /** The same EstimatedCostUsd as a sync call, so the cost totals count both lanes; the turnaround on its own. */
    @Override
    public void batchSettled(Job job, Attempt attempt) {
        write(job, Map.of("Provider", attempt.provider(), "account", attempt.account(), "outcome", attempt.outcome().name(),
                        "attempt", String.valueOf(attempt.number()), "errorType", attempt.errorType().orElse(""), "lane", "batch"),
                new Directive(List.of(SERVICE, BY_MODEL_AND_RESOLUTION), List.of(
                        new Metric("EstimatedCostUsd", "None", attempt.estimatedCostUsd()))),
                new Directive(List.of(BY_MODEL_AND_RESOLUTION), List.of(
                        new Metric("BatchTurnaround", "Milliseconds", BigDecimal.valueOf(attempt.latency().toMillis())),
                        new Metric("GeneratedImages", "Count", BigDecimal.valueOf(attempt.images())))));
    }

    @Override
    public void waitingForQuota(Job job) {
        write(job, Map.of(), new Directive(List.of(SERVICE, BY_MODEL), List.of(count("QuotaWaits"))));
    }

    @Override
    public void succeeded(Job job) {
        write(job, Map.of(), new Directive(List.of(SERVICE, BY_MODEL_AND_RESOLUTION), List.of(count("Succeeded"))));
    }

    @Override
    public void failed(Job job, JobError error) {
        write(job, Map.of("Reason", error.type()), new Directive(List.of(SERVICE, BY_REASON), List.of(count("Failed"))));
    }

    @Override
    public void cancelled(Job job) {
        write(job, Map.of(), new Directive(List.of(SERVICE, BY_MODEL_AND_RESOLUTION), List.of(count("Cancelled"))));
    }

    private static Metric count(String name) {
        return new Metric(name, "Count", BigDecimal.ONE);
    }

    private void write(Job job, Map<String, String> properties, Directive... directives) {
        ObjectNode line = JSON.objectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ArrayNode metricDirectives = aws.putArray("CloudWatchMetrics");
        for (Directive directive : directives) {
            ObjectNode node = metricDirectives.addObject();
            node.put("Namespace", NAMESPACE);
            ArrayNode dimensionSets = node.putArray("Dimensions");
            for (List<String> set : directive.dimensions()) {
                ArrayNode keys = dimensionSets.addArray();
                set.forEach(keys::add);
            }
            ArrayNode metrics = node.putArray("Metrics");
            for (Metric metric : directive.metrics()) {
                metrics.addObject().put("Name", metric.name()).put("Unit", metric.unit());
                line.put(metric.name(), metric.value());
            }
        }
        line.put("Service", service);
        line.put("Model", job.request().model());
        line.put("Resolution", job.request().resolution().label());
        line.put("jobId", job.id().value());
        properties.forEach(line::put);
        lines.accept(line.toString());
    }
}
