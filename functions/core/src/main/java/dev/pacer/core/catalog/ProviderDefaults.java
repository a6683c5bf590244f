package dev.pacer.core.catalog;

import dev.pacer.core.job.Resolution;

import java.util.List;

/**
 * What a provider's models usually make: the shapes pacer allows for a model the account pool names and the catalog
 * does not list, which is then sent to the provider as it is named.
 */
public record ProviderDefaults(List<Resolution> resolutions, List<String> aspectRatios) {

    public ProviderDefaults {
        resolutions = List.copyOf(resolutions);
        aspectRatios = List.copyOf(aspectRatios);
        if (resolutions.isEmpty()) {
            throw new IllegalArgumentException("\"resolutions\" must name at least one resolution");
        }
        if (aspectRatios.isEmpty()) {
            throw new IllegalArgumentException("\"aspectRatios\" must name at least one aspect ratio");
        }
        aspectRatios.forEach(ModelSpec::requireAspectRatioForm);
    }
}
