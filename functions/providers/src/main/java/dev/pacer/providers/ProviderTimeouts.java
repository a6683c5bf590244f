package dev.pacer.providers;

import dev.pacer.core.job.Resolution;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How long to wait for a connection (short: nothing was sent yet, so giving up is free) and for the
 * whole answer, its last byte included, per resolution (long: image calls take seconds to minutes;
 * giving up after sending may waste a billed image). The worker's Lambda timeout must exceed the longest.
 */
public record ProviderTimeouts(Duration connect, Map<Resolution, Duration> perResolution) {

    public ProviderTimeouts {
        Objects.requireNonNull(connect, "connect");
        perResolution = Map.copyOf(perResolution);
        for (Resolution resolution : Resolution.values()) {
            if (!perResolution.containsKey(resolution)) {
                throw new IllegalArgumentException("no timeout for " + resolution);
            }
        }
    }

    /** 0.5K–2K 300 s, 4K 600 s, connect 10 s. */
    public static ProviderTimeouts standard() {
        return of(Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(600));
    }

    public static ProviderTimeouts of(Duration connect, Duration upTo2K, Duration fourK) {
        Map<Resolution, Duration> map = new EnumMap<>(Resolution.class);
        map.put(Resolution.HALF_K, upTo2K);
        map.put(Resolution.ONE_K, upTo2K);
        map.put(Resolution.TWO_K, upTo2K);
        map.put(Resolution.FOUR_K, fourK);
        return new ProviderTimeouts(connect, map);
    }

    public Duration forResolution(Resolution resolution) {
        return perResolution.get(resolution);
    }

    public Duration longest() {
        return perResolution.values().stream().max(Duration::compareTo).orElseThrow();
    }
}
