package dev.pacer.core.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model takes besides the prompt: how many reference images, how large each, whether a mask, and what the
 * images cost in input tokens (estimates, as the catalog's prices are).
 *
 * @param maxImages             most reference images one request takes; 0: the model takes none
 * @param maxBytes              largest reference image, in bytes
 * @param acceptsMask           whether a mask (PNG, the first image's size) may come with the images
 * @param maxMaskBytes          largest mask, in bytes
 * @param tokensPerImage        input tokens one reference image is estimated to cost
 * @param takesInputFidelity    OpenAI: whether the edit request carries {@code input_fidelity}
 * @param usdPerMillionTokens   estimated price of a million input tokens, where the catalog has one
 * @param maxTotalBytes         largest sum of a request's reference images (Gemini's inline request limit); 0: none
 * @param types                 the image types it takes as inputs (Nova Canvas: PNG and JPEG)
 */
public record InputLimits(int maxImages, long maxBytes, boolean acceptsMask, long maxMaskBytes, int tokensPerImage,
        boolean takesInputFidelity, Optional<BigDecimal> usdPerMillionTokens, long maxTotalBytes, List<String> types) {

    /** What intake can recognise by its first bytes: PNG, JPEG and WebP. */
    public static final List<String> ALL_TYPES = List.of("image/png", "image/jpeg", "image/webp");

    /** Limits without a total beyond the images' own, of any recognised type. */
    public InputLimits(int maxImages, long maxBytes, boolean acceptsMask, long maxMaskBytes, int tokensPerImage,
            boolean takesInputFidelity, Optional<BigDecimal> usdPerMillionTokens) {
        this(maxImages, maxBytes, acceptsMask, maxMaskBytes, tokensPerImage, takesInputFidelity, usdPerMillionTokens, 0);
    }

    /** Limits of any recognised type. */
    public InputLimits(int maxImages, long maxBytes, boolean acceptsMask, long maxMaskBytes, int tokensPerImage,
            boolean takesInputFidelity, Optional<BigDecimal> usdPerMillionTokens, long maxTotalBytes) {
        this(maxImages, maxBytes, acceptsMask, maxMaskBytes, tokensPerImage, takesInputFidelity, usdPerMillionTokens, maxTotalBytes,
                ALL_TYPES);
    }

    /** A model that takes a prompt only. */
    public static final InputLimits NONE = new InputLimits(0, 0, false, 0, 0, false, Optional.empty());

    public InputLimits {
        Objects.requireNonNull(usdPerMillionTokens, "usdPerMillionTokens");
        if (maxImages < 0 || maxBytes < 0 || maxMaskBytes < 0 || tokensPerImage < 0 || maxTotalBytes < 0) {
            throw new IllegalArgumentException("input limits must not be negative");
        }
        if (maxImages > 0 && maxBytes < 1) {
            throw new IllegalArgumentException("\"maxInputBytes\" is required where \"maxInputImages\" is above 0");
        }
        if (acceptsMask && (maxImages == 0 || maxMaskBytes < 1)) {
            throw new IllegalArgumentException("\"acceptsMask\" needs \"maxInputImages\" above 0 and \"maxMaskBytes\"");
        }
        types = List.copyOf(types);
        if (types.isEmpty() || !ALL_TYPES.containsAll(types)) {
            throw new IllegalArgumentException("\"inputTypes\" must name some of " + String.join(", ", ALL_TYPES) + ", not " + types);
        }
        if (usdPerMillionTokens.filter(price -> price.signum() < 0).isPresent()) {
            throw new IllegalArgumentException("\"inputTokenUsdPerMillion\" must not be negative");
        }
    }

    public boolean takesImages() {
        return maxImages > 0;
    }

    /** The estimated input-token price of {@code tokens} tokens; zero without a listed price. */
    public BigDecimal price(long tokens) {
        return usdPerMillionTokens.map(perMillion -> perMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6))
                .orElse(BigDecimal.ZERO);
    }
}
