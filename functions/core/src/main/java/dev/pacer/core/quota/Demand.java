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
        return of(request, provider, 0);
    }

    /**
     * As {@link #of(GenerationRequest, String)}, with the input tokens an edit's reference images cost (the catalog's
     * {@code inputTokensPerImage}) counted in {@code tokens}; output tokens are not estimated here.
     */
    public static Demand of(GenerationRequest request, String provider, int inputTokensPerImage) {
        int requests = requests(request, provider);
        return new Demand(requests, request.count(), inputTokens(request, requests, inputTokensPerImage));
    }

    /** Every request of a job carries all its reference images, so each pays their input tokens. */
    public static long inputTokens(GenerationRequest request, int requests, int inputTokensPerImage) {
        return (long) requests * request.inputs().size() * inputTokensPerImage;
    }

    /** Gemini: one request per image; OpenAI: one request for all of them. */
    public static int requests(GenerationRequest request, String provider) {
        return "openai".equals(provider) ? 1 : request.count();
    }
}
