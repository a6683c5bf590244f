package dev.pacer.core.catalog;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The list price of one image, in USD, on each lane: the sync lane's blocking call and the batch lane's provider
 * Batch API. Estimates from the providers' public pages: the provider's bill is the truth.
 */
public record ImagePrice(BigDecimal sync, BigDecimal batch) {

    /** Gemini's and OpenAI's Batch APIs charge half the standard price. */
    private static final BigDecimal BATCH_SHARE = new BigDecimal("0.5");

    public ImagePrice {
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(batch, "batch");
        if (sync.signum() < 0 || batch.signum() < 0) {
            throw new IllegalArgumentException("a price must not be negative");
        }
    }

    /** A sync price whose batch price is the usual half of it. */
    public static ImagePrice ofSync(BigDecimal sync) {
        return new ImagePrice(sync, sync.multiply(BATCH_SHARE));
    }
}
