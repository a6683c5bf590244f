package dev.pacer.core.usecase;

import dev.pacer.core.job.JobId;
import dev.pacer.core.port.CompletionNotices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Completion notices as a list, for the use cases' unit tests (the SQS adapter is tested against moto). */
final class RecordedNotices implements CompletionNotices {

    record Notice(JobId id, Duration delay) {
    }

    final List<Notice> sent = new ArrayList<>();

    @Override
    public void jobFinished(JobId id) {
        sent.add(new Notice(id, Duration.ZERO));
    }

    @Override
    public void retryAfter(JobId id, Duration delay) {
        sent.add(new Notice(id, delay));
    }
}
