package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ImagePrice;
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

    private final Map<String, ImagePrice> perImage;

    private PriceTable(Map<String, ImagePrice> perImage) {
        this.perImage = Map.copyOf(perImage);
    }

    /** The prices the catalog lists; a model or resolution without one costs 0. */
    public static PriceTable of(ModelCatalog catalog) {
        Map<String, ImagePrice> prices = new HashMap<>();
        for (ModelSpec model : catalog.models()) {
            for (Resolution resolution : model.resolutions()) {
                model.pricePerImage(resolution).ifPresent(price -> prices.put(key(model.id(), resolution), price));
            }
        }
        return new PriceTable(prices);
    }

    /** The sync lane's price of {@code images} images; zero for a model and resolution without a listed price. */
    public BigDecimal estimate(String model, Resolution resolution, int images) {
        return price(model, resolution).map(ImagePrice::sync).orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(images));
    }

    /** The batch lane's price of {@code images} images (half the sync price unless the catalog says otherwise); zero without one. */
    public BigDecimal batchEstimate(String model, Resolution resolution, int images) {
        return price(model, resolution).map(ImagePrice::batch).orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(images));
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
