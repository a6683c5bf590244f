package dev.pacer.core.catalog;

import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Resolution;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** One image model pacer can route to: who serves it and which shapes it can produce. */
public record ModelSpec(String name, String provider, List<Resolution> resolutions, List<String> aspectRatios) {

    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        resolutions = List.copyOf(resolutions);
        aspectRatios = List.copyOf(aspectRatios);
        if (resolutions.isEmpty() || aspectRatios.isEmpty()) {
            throw new IllegalArgumentException(name + " must support at least one resolution and aspect ratio");
        }
    }

    /** A request for {@code resolution} of this model is refused, naming the ones it supports, if it has not that one. */
    public void requireResolution(Resolution resolution) {
        if (!resolutions.contains(resolution)) {
            throw new InvalidRequestException("resolution", name + " does not support " + resolution + "; supported: "
                    + resolutions.stream().map(Resolution::label).collect(Collectors.joining(", ")));
        }
    }
}
