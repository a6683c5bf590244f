package dev.pacer.core.job;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** Output resolution, named the way Gemini names it. Latencies are the seed's measured figures. */
public enum Resolution {
    HALF_K("0.5K", 512, Duration.ofSeconds(8), Duration.ofSeconds(8)),
    ONE_K("1K", 1024, Duration.ofSeconds(13), Duration.ofSeconds(13)),
    TWO_K("2K", 2048, Duration.ofSeconds(30), Duration.ofSeconds(30)),
    FOUR_K("4K", 4096, Duration.ofSeconds(90), Duration.ofSeconds(170));

    private final String label;
    private final int longSidePixels;
    private final Duration fastestTypicalLatency;
    private final Duration slowestTypicalLatency;

    Resolution(String label, int longSidePixels, Duration fastest, Duration slowest) {
        this.label = label;
        this.longSidePixels = longSidePixels;
        this.fastestTypicalLatency = fastest;
        this.slowestTypicalLatency = slowest;
    }

    public String label() {
        return label;
    }

    public int longSidePixels() {
        return longSidePixels;
    }

    public Duration fastestTypicalLatency() {
        return fastestTypicalLatency;
    }

    public Duration slowestTypicalLatency() {
        return slowestTypicalLatency;
    }

    public static Optional<Resolution> fromLabel(String label) {
        return Arrays.stream(values()).filter(r -> r.label.equalsIgnoreCase(label)).findFirst();
    }

    @Override
    public String toString() {
        return label;
    }
}
