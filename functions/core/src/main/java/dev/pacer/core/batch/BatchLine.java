package dev.pacer.core.batch;

import dev.pacer.core.job.GenerationRequest;

import java.util.Objects;

/**
 * One job's request in a provider batch. The adapter decides how it goes on the wire: Gemini asks for one image per
 * request, so a job of n images becomes n requests keyed {@code jobId/index}; OpenAI sends one line with {@code n}.
 */
public record BatchLine(String jobId, GenerationRequest request) {
    public BatchLine {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(request, "request");
    }
}
