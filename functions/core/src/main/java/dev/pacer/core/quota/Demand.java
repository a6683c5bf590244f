package dev.pacer.core.quota;

import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;

/** What one job will really spend: requests (each one a call), images and (estimated) tokens. */
public record Demand(int requests, int images, long tokens) {

    public Demand {
        if (requests < 1 || images < 0 || tokens < 0) {
            throw new IllegalArgumentException("a demand needs at least one request and no negative amounts");
        }
    }

    /**
     * Gemini returns one image per request, so a job of n images is n requests, made side by side; OpenAI's {@code n}
     * makes it one request for n images. Tokens are estimated from the catalog ({@link TokenEstimate}) until the
     * provider's usage says.
     */
    public static Demand of(GenerationRequest request, ModelSpec model) {
        int requests = requests(request, model.provider());
        return new Demand(requests, request.count(), TokenEstimate.of(request, model, requests));
    }

    /** Every request of a job carries all its reference images, so each pays their input tokens. */
    public static long inputTokens(GenerationRequest request, int requests, int inputTokensPerImage) {
        return (long) requests * request.inputs().size() * inputTokensPerImage;
    }

    /** Gemini: one request per image; OpenAI: one request for all of them. */
    public static int requests(GenerationRequest request, String provider) {
        return "openai".equals(provider) ? 1 : request.count();
    }

    public Demand withTokens(long spent) {
        return new Demand(requests, images, spent);
    }
}
