package dev.pacer.core.catalog;

import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Resolution;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One image model pacer can route to: who serves it, the id the provider knows it by, which shapes it can produce,
 * and per resolution what one image costs in output tokens and in USD (estimates, when the catalog has them).
 *
 * @param id             pacer's id of the model: what a job records and the pool's limits are keyed by
 * @param provider       {@code gemini}, {@code openai}, {@code bedrock} or {@code simulated}: which adapter calls it
 * @param providerModel  the id sent to the provider (usually the same as {@code id})
 * @param perImage       the resolutions it makes, each with its estimated tokens and price per image
 * @param aspectRatios   the aspect ratios it makes, as {@code W:H}; the first is the default
 * @param takesImageSize Gemini: whether the request carries {@code imageConfig.imageSize}; models that make only one
 *                       size (2.5 Flash Image) take none
 * @param inputs         the reference images (edits) it takes, if any, and what they cost in input tokens
 */
public record ModelSpec(String id, String provider, String providerModel, Map<Resolution, PerImage> perImage,
        List<String> aspectRatios, boolean takesImageSize, InputLimits inputs) {

    private static final Pattern ASPECT_RATIO = Pattern.compile("[1-9][0-9]*:[1-9][0-9]*");

    /** One image at one resolution: its output tokens and its price, where the catalog gives them. */
    public record PerImage(Optional<Integer> outputTokens, Optional<ImagePrice> price) {

        public static final PerImage UNKNOWN = new PerImage(Optional.empty(), Optional.empty());

        public PerImage {
            Objects.requireNonNull(outputTokens, "outputTokens");
            Objects.requireNonNull(price, "price");
            if (outputTokens.filter(tokens -> tokens < 1).isPresent()) {
                throw new IllegalArgumentException("\"outputTokens\" must be at least 1");
            }
        }
    }

    /** A model that takes a prompt only. */
    public ModelSpec(String id, String provider, String providerModel, Map<Resolution, PerImage> perImage,
            List<String> aspectRatios, boolean takesImageSize) {
        this(id, provider, providerModel, perImage, aspectRatios, takesImageSize, InputLimits.NONE);
    }

    public ModelSpec {
        java.util.Objects.requireNonNull(inputs, "inputs");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a model needs a non-blank id");
        }
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException(id + ": \"provider\" is required");
        }
        if (providerModel == null || providerModel.isBlank()) {
            throw new IllegalArgumentException(id + ": \"providerModel\" must not be blank");
        }
        if (perImage.isEmpty()) {
            throw new IllegalArgumentException(id + ": \"resolutions\" must name at least one resolution");
        }
        perImage = Map.copyOf(perImage);
        aspectRatios = List.copyOf(aspectRatios);
        if (aspectRatios.isEmpty()) {
            throw new IllegalArgumentException(id + ": \"aspectRatios\" must name at least one aspect ratio");
        }
        for (String ratio : aspectRatios) {
            try {
                requireAspectRatioForm(ratio);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
            }
        }
    }

    /** A model with no token or price estimates, sent to the provider under its own id. */
    public static ModelSpec unpriced(String id, String provider, List<Resolution> resolutions, List<String> aspectRatios) {
        Map<Resolution, PerImage> perImage = new EnumMap<>(Resolution.class);
        resolutions.forEach(resolution -> perImage.put(resolution, PerImage.UNKNOWN));
        return new ModelSpec(id, provider, id, perImage, aspectRatios, true);
    }

    /** A model the account pool names and the catalog lacks: sent as it is named, with the provider's usual shapes. */
    public static ModelSpec servedAsNamed(String id, String provider, ProviderDefaults defaults) {
        return unpriced(id, provider, defaults.resolutions(), defaults.aspectRatios());
    }

    /** The same model taking these reference images. */
    public ModelSpec withInputs(InputLimits limits) {
        return new ModelSpec(id, provider, providerModel, perImage, aspectRatios, takesImageSize, limits);
    }

    /** The resolutions it makes, smallest first. */
    public List<Resolution> resolutions() {
        return perImage.keySet().stream().sorted().toList();
    }

    /** The output tokens one image at {@code resolution} is estimated to take; empty where the catalog has no figure. */
    public Optional<Integer> outputTokensPerImage(Resolution resolution) {
        return Optional.ofNullable(perImage.get(resolution)).flatMap(PerImage::outputTokens);
    }

    /** The estimated list price of one image at {@code resolution}; empty where the catalog has no figure. */
    public Optional<ImagePrice> pricePerImage(Resolution resolution) {
        return Optional.ofNullable(perImage.get(resolution)).flatMap(PerImage::price);
    }

    /** A request for {@code resolution} of this model is refused, naming the ones it supports, if it has not that one. */
    public void requireResolution(Resolution resolution) {
        if (!perImage.containsKey(resolution)) {
            throw new InvalidRequestException("resolution", id + " does not support " + resolution + "; supported: "
                    + resolutions().stream().map(Resolution::label).collect(Collectors.joining(", ")));
        }
    }

    static void requireAspectRatioForm(String ratio) {
        if (ratio == null || !ASPECT_RATIO.matcher(ratio).matches()) {
            throw new IllegalArgumentException("aspect ratio \"" + ratio + "\" is not of the form W:H (e.g. 16:9)");
        }
    }
}
