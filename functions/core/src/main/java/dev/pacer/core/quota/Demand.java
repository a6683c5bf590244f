package dev.pacer.core.quota;

import dev.pacer.core.job.GenerationRequest;

/** What one job will really spend: requests, images and (estimated) tokens. */
public record Demand(int requests, int images, long tokens) {

    public Demand {
        if (requests < 1 || images < 0 || tokens < 0) {
            throw new IllegalArgumentException("a demand needs at least one request and no negative amounts");
        }
    }

    /**
     * Gemini returns one image per request, so a job of n images is n requests; OpenAI's {@code n} makes it one
     * request for n images. Tokens are not estimated yet (0): TPM limits then only count what others reported.
     */
    public static Demand of(GenerationRequest request, String provider) {
        int requests = "openai".equals(provider) ? 1 : request.count();
        return new Demand(requests, request.count(), 0);
    }
}
