package dev.pacer.core.quota;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;

/**
 * The tokens a request will cost before the provider says: what a reservation holds of a TPM limit, until the
 * provider's usage corrects it ({@link QuotaLedger#release}). Output tokens per image are today's published
 * figures, here until the model catalog carries them ({@code ModelSpec}); then {@link #outputTokensPerImage} reads
 * the catalog and this table goes.
 */
public final class TokenEstimate {

    /** Text is about four characters a token (Gemini's and OpenAI's rule of thumb). */
    private static final int CHARACTERS_PER_TOKEN = 4;
    /** A model this table does not know: as much as the dearest 1K image here, so that a TPM limit is not overrun. */
    static final long UNKNOWN_MODEL_TOKENS = 1_290;

    private TokenEstimate() {
    }

    /** Input and output tokens of the whole request: each request carries the prompt, each image its output tokens. */
    public static long of(GenerationRequest request, int requests) {
        long prompt = (request.prompt().length() + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
        return requests * prompt + request.count() * outputTokensPerImage(request.model(), request.resolution());
    }

    /**
     * Output tokens of one image. Gemini 2.5 Flash Image: 1,290 (PROVIDERS.md). Gemini 3 Pro Image: 1,120 up to 2K,
     * 2,000 at 4K. Gemini 3.1 Flash Image: its per-image prices over its per-token price (not confirmed as token
     * counts): 747 at 0.5K, 1,120 at 1K, 1,680 at 2K, 2,520 at 4K. GPT Image at 1024×1024: 1,056 (medium quality;
     * {@code auto} may pick high, 4,160: the usage then corrects the count).
     */
    public static long outputTokensPerImage(String model, Resolution resolution) {
        String family = model.replace("-preview", "");
        return switch (family) {
            case "gemini-2.5-flash-image" -> 1_290;
            case "gemini-3-pro-image" -> resolution == Resolution.FOUR_K ? 2_000 : 1_120;
            case "gemini-3.1-flash-image" -> switch (resolution) {
                case HALF_K -> 747;
                case ONE_K -> 1_120;
                case TWO_K -> 1_680;
                case FOUR_K -> 2_520;
            };
            case "gpt-image-1", "gpt-image-1.5", "gpt-image-1-mini" -> 1_056;
            default -> UNKNOWN_MODEL_TOKENS;
        };
    }
}
