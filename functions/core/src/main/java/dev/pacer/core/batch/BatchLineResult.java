package dev.pacer.core.batch;

import dev.pacer.core.port.ProviderOutcome;

import java.util.Objects;

/**
 * What came back for (part of) one job's line: the images from {@code firstIndex} on (Gemini: one image per request,
 * so one result per image; OpenAI: the whole job at 0), or the line's own error, classified like a sync-lane answer
 * (a safety block is a {@link ProviderOutcome.Refused}, and so on).
 */
public record BatchLineResult(String jobId, int firstIndex, ProviderOutcome outcome) {
    public BatchLineResult {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(outcome, "outcome");
        if (firstIndex < 0) {
            throw new IllegalArgumentException("firstIndex must not be negative");
        }
    }
}
