package dev.pacer.core.usecase;

import dev.pacer.core.job.Resolution;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Estimated list price per generated image, by model and resolution, in USD. Estimates only: the
 * provider's bill is the truth. Written as {@code model@resolution=price} entries, comma-separated.
 */
public final class PriceTable {

    /** The seed's figures. */
    public static final String SEED = "gemini-3.1-flash-image-preview@1K=0.067,gemini-3-pro-image-preview@4K=0.24,gemini-2.5-flash-image@1K=0.039";

    private final Map<String, BigDecimal> perImage;

    private PriceTable(Map<String, BigDecimal> perImage) {
        this.perImage = Map.copyOf(perImage);
    }

    public static PriceTable parse(String entries) {
        Map<String, BigDecimal> prices = new HashMap<>();
        for (String entry : entries.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] keyAndPrice = entry.strip().split("=", 2);
            String[] modelAndResolution = keyAndPrice[0].split("@", 2);
            if (keyAndPrice.length != 2 || modelAndResolution.length != 2
                    || Resolution.fromLabel(modelAndResolution[1].strip()).isEmpty()) {
                throw new IllegalArgumentException("price entry '" + entry + "' is not model@resolution=usd");
            }
            Resolution resolution = Resolution.fromLabel(modelAndResolution[1].strip()).orElseThrow();
            prices.put(key(modelAndResolution[0].strip(), resolution), new BigDecimal(keyAndPrice[1].strip()));
        }
        return new PriceTable(prices);
    }

    /** Zero for a model and resolution without a listed price. */
    public BigDecimal estimate(String model, Resolution resolution, int images) {
        return perImage.getOrDefault(key(model, resolution), BigDecimal.ZERO).multiply(BigDecimal.valueOf(images));
    }

    private static String key(String model, Resolution resolution) {
        return model + "@" + resolution.label();
    }
}
