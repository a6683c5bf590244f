package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.port.JobMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Metrics for the use cases' unit tests: each event as one readable line (the EMF adapter is tested in the functions). */
final class RecordedMetrics implements JobMetrics {

    private final List<String> events = new ArrayList<>();

    List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public void submitted(Job job) {
        events.add("submitted " + job.request().model());
    }

    @Override
    public void firstCallStarting(Job job, Duration queued) {
        events.add("first call after " + queued);
    }

    @Override
    public void called(Job job, Attempt attempt) {
        events.add("called " + attempt.outcome() + " costing " + attempt.estimatedCostUsd().stripTrailingZeros().toPlainString());
    }

    @Override
    public void waitingForQuota(Job job) {
        events.add("waiting for quota");
    }

    @Override
    public void succeeded(Job job) {
        events.add("succeeded");
    }

    @Override
    public void failed(Job job, JobError error) {
        events.add("failed " + error.type());
    }

    @Override
    public void cancelled(Job job) {
        events.add("cancelled");
    }
}
