package dev.pacer.core.catalog;

import dev.pacer.core.job.Resolution;

import java.util.List;
import java.util.Objects;

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
}
