package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ImagePrice;
import dev.pacer.core.catalog.InputLimits;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.Resolution;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Estimated list price per generated image, by model and resolution, in USD: the model catalog's figures. Estimates
 * only: the provider's bill is the truth.
 */
public final class PriceTable {

    /** Gemini's and OpenAI's Batch APIs charge half the standard price of a line's tokens. */
    private static final BigDecimal BATCH_TOKEN_SHARE = new BigDecimal("0.5");

    private final Map<String, ImagePrice> perImage;
    private final Map<String, InputLimits> inputs;

    private PriceTable(Map<String, ImagePrice> perImage, Map<String, InputLimits> inputs) {
        this.perImage = Map.copyOf(perImage);
        this.inputs = Map.copyOf(inputs);
    }

    /** The prices the catalog lists; a model or resolution without one costs 0. */
    public static PriceTable of(ModelCatalog catalog) {
        Map<String, ImagePrice> prices = new HashMap<>();
        Map<String, InputLimits> inputs = new HashMap<>();
        for (ModelSpec model : catalog.models()) {
            inputs.put(model.id(), model.inputs());
            for (Resolution resolution : model.resolutions()) {
                model.pricePerImage(resolution).ifPresent(price -> prices.put(key(model.id(), resolution), price));
            }
        }
        return new PriceTable(prices, inputs);
    }

    /** The sync lane's price of {@code images} images; zero for a model and resolution without a listed price. */
    public BigDecimal estimate(String model, Resolution resolution, int images) {
        return price(model, resolution).map(ImagePrice::sync).orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(images));
    }

    /** The batch lane's price of {@code images} images (half the sync price unless the catalog says otherwise); zero without one. */
    public BigDecimal batchEstimate(String model, Resolution resolution, int images) {
        return price(model, resolution).map(ImagePrice::batch).orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(images));
    }

    /**
     * The estimated price of the input tokens {@code request}'s reference images cost over {@code requests} provider
     * requests (the catalog's tokens per image and input-token price); zero for a prompt-only request or an unlisted price.
     */
    public BigDecimal inputEstimate(GenerationRequest request, int requests) {
        InputLimits limits = inputs.getOrDefault(request.model(), InputLimits.NONE);
        return limits.price(Demand.inputTokens(request, requests, limits.tokensPerImage()));
    }

    /**
     * The batch lane's price of those input tokens: the Batch APIs halve every token of a line, as they halve its
     * images ({@link dev.pacer.core.catalog.ImagePrice#ofSync}).
     */
    public BigDecimal batchInputEstimate(GenerationRequest request, int requests) {
        return inputEstimate(request, requests).multiply(BATCH_TOKEN_SHARE);
    }

    /** The catalog's estimated input tokens per reference image of {@code model}; 0 where it has none. */
    public int inputTokensPerImage(String model) {
        return inputs.getOrDefault(model, InputLimits.NONE).tokensPerImage();
    }

    /** Whether the catalog has a price for this model and resolution (a missing one shows as 0). */
    public boolean lists(String model, Resolution resolution) {
        return price(model, resolution).isPresent();
    }

    private Optional<ImagePrice> price(String model, Resolution resolution) {
        return Optional.ofNullable(perImage.get(key(model, resolution)));
    }

    private static String key(String model, Resolution resolution) {
        return model + "@" + resolution.label();
    }
}
