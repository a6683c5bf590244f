package dev.pacer.core.quota;

import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;

/**
 * The tokens a request will cost before the provider says: what a reservation holds of a TPM limit, until the
 * provider's usage corrects it ({@link QuotaLedger#release}). Output tokens per image come from the model catalog.
 */
public final class TokenEstimate {

    /** Text is about four characters a token (Gemini's and OpenAI's rule of thumb). */
    private static final int CHARACTERS_PER_TOKEN = 4;
    /**
     * A model or resolution the catalog has no figure for: as much as the dearest 1K image the bundled catalog knows
     * (Gemini 2.5 Flash Image's 1,290), so that a TPM limit is not overrun before the usage says.
     */
    static final long UNKNOWN_TOKENS_PER_IMAGE = 1_290;

    private TokenEstimate() {
    }

    /**
     * Input and output tokens of the whole request: each request carries the prompt and all of an edit's reference
     * images (the catalog's input tokens per image), each image made costs its output tokens.
     */
    public static long of(GenerationRequest request, ModelSpec model, int requests) {
        long prompt = (request.prompt().length() + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
        long perImage = outputTokensPerImage(model, request.resolution());
        return requests * prompt + Demand.inputTokens(request, requests, model.inputs().tokensPerImage()) + request.count() * perImage;
    }

    /** Each image's output tokens at {@code resolution}: the catalog's figure, or the cautious one when it has none. */
    public static long outputTokensPerImage(ModelSpec model, dev.pacer.core.job.Resolution resolution) {
        return model.outputTokensPerImage(resolution).map(Integer::longValue).orElse(UNKNOWN_TOKENS_PER_IMAGE);
    }
}
