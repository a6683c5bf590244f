package dev.pacer.core.capacity;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Resolution;


/** What GET /v1/capacity asks: can the pool make {@code imagesPerMinute} images of this model and resolution? */
public record CapacityQuestion(String model, Resolution resolution, double imagesPerMinute) {

    /** More than any pool of accounts serves; a typo rather than a plan. */
    static final double MAX_IMAGES_PER_MINUTE = 1_000_000;

    /** Validates the raw query parameters; each problem names its parameter. */
    public static CapacityQuestion parse(String model, String resolution, String imagesPerMinute, ModelCatalog catalog) {
        ModelSpec spec = catalog.require("model", required("model", model));
        Resolution res = Resolution.fromLabel(required("resolution", resolution)).orElseThrow(() ->
                new InvalidRequestException("resolution", "must be one of 0.5K, 1K, 2K, 4K, not '" + resolution + "'"));
        spec.requireResolution(res);
        double rate;
        try {
            rate = Double.parseDouble(required("imagesPerMinute", imagesPerMinute));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("imagesPerMinute", "must be a number, not '" + imagesPerMinute + "'");
        }
        if (!(rate > 0 && rate <= MAX_IMAGES_PER_MINUTE)) {
            throw new InvalidRequestException("imagesPerMinute", "must be above 0 and at most 1000000, not " + imagesPerMinute);
        }
        return new CapacityQuestion(spec.id(), res, rate);
    }

    private static String required(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(parameter, "is required");
        }
        return value.strip();
    }
}
