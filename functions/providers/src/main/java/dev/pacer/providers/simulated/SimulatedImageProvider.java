package dev.pacer.providers.simulated;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.providers.NoInputImages;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderAdapter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stand-in for a real image model: blocks for the seed's latency of the resolution (0.5K 8 s,
 * 1K 13 s, 2K 30 s, 4K 90–170 s) times {@code latencyFactor}, then returns real PNG bytes drawn from
 * the prompt (and an edit's input bytes). Factor 0 answers at once (tests); 1 behaves like the real thing.
 *
 * <p>A prompt containing {@code [simulate:unavailable]} gets a retryable 503-like answer and one
 * containing {@code [simulate:safety]} a safety refusal, so the failure paths can be tried locally.
 */
public final class SimulatedImageProvider implements ProviderAdapter {

    /** The account simulated calls are recorded against. */
    public static final ProviderAccount ACCOUNT =
            new ProviderAccount("simulated", "simulated", java.net.URI.create("simulated:local"), "");

    public static final String UNAVAILABLE = "[simulate:unavailable]";
    public static final String SAFETY_BLOCK = "[simulate:safety]";

    /** Larger than this, pictures are scaled down: the point is a real PNG, not 48 MB of pixels per test. */
    private final int maxLongSide;
    private final double latencyFactor;
    private final InputImages inputs;

    public SimulatedImageProvider(double latencyFactor, int maxLongSide) {
        this(latencyFactor, maxLongSide, NoInputImages.INSTANCE);
    }

    /** @param inputs where an edit's reference images are read: each is read whole, as a real provider's request would */
    public SimulatedImageProvider(double latencyFactor, int maxLongSide, InputImages inputs) {
        if (latencyFactor < 0) {
            throw new IllegalArgumentException("latencyFactor must not be negative");
        }
        this.latencyFactor = latencyFactor;
        this.maxLongSide = maxLongSide;
        this.inputs = inputs;
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, ProviderAccount account) {
        sleep(latencyOf(request.resolution()));
        java.util.Optional<ProviderOutcome.Failure> failure = failureAskedFor(request);
        if (failure.isPresent()) {
            return failure.get();
        }
        List<GeneratedImage> images = new ArrayList<>(request.count());
        for (int n = 0; n < request.count(); n++) {
            images.add(image(request, n));
        }
        return new ProviderOutcome.Generated(images);
    }

    /**
     * Image {@code n} of the request, drawn from the prompt (and an edit's inputs, read through the store): the same
     * request always makes the same pictures.
     */
    GeneratedImage image(GenerationRequest request, int n) {
        return picture(request, drawn(request), n);
    }

    /**
     * What a request's pictures are drawn from: its prompt, and an edit's inputs' bytes, each read whole through the
     * store (a missing one fails the read, as a real provider's request would), so the same prompt on other images
     * makes another picture, deterministically.
     */
    String drawn(GenerationRequest request) {
        return request.isEdit() ? request.prompt() + " | inputs " + request.inputs().stream().map(this::digest).toList()
                + request.mask().map(mask -> " | mask " + digest(mask)).orElse("") : request.prompt();
    }

    /** Image {@code n} of a request whose pictures are drawn from {@code drawn}. */
    GeneratedImage picture(GenerationRequest request, String drawn, int n) {
        int[] size = pixelSize(request.resolution(), request.aspectRatio());
        String seed = n == 0 ? drawn : drawn + "#" + n;
        return new GeneratedImage(PngEncoder.encode(PromptPicture.of(seed, size[0], size[1])), "image/png");
    }

    /** The answer the prompt asks for, if it asks for a failure: what a sync call and a batch line both get. */
    static java.util.Optional<ProviderOutcome.Failure> failureAskedFor(GenerationRequest request) {
        if (request.prompt().contains(UNAVAILABLE)) {
            return java.util.Optional.of(new ProviderOutcome.RetryLater("provider_unavailable", "simulated 503: the model is overloaded"));
        }
        if (request.prompt().contains(SAFETY_BLOCK)) {
            return java.util.Optional.of(new ProviderOutcome.Refused("safety_block",
                    "simulated finishReason IMAGE_SAFETY: the prompt was blocked"));
        }
        return java.util.Optional.empty();
    }

    /** The SHA-256 of an input's bytes, read through the store as a provider's request streams them; its reference without one. */
    private String digest(InputImage image) {
        if (inputs == NoInputImages.INSTANCE) {
            return image.reference();
        }
        try (java.io.InputStream in = new java.security.DigestInputStream(inputs.open(image.key()),
                java.security.MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return java.util.HexFormat.of().formatHex(((java.security.DigestInputStream) in).getMessageDigest().digest());
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read input " + image.key() + ": " + e.getMessage(), e);
        }
    }

    Duration latencyOf(Resolution resolution) {
        long fastest = resolution.fastestTypicalLatency().toMillis();
        long slowest = resolution.slowestTypicalLatency().toMillis();
        long typical = fastest == slowest ? fastest : ThreadLocalRandom.current().nextLong(fastest, slowest + 1);
        return Duration.ofMillis(Math.round(typical * latencyFactor));
    }

    int[] pixelSize(Resolution resolution, String aspectRatio) {
        String[] parts = aspectRatio.split(":");
        double w = Double.parseDouble(parts[0]);
        double h = Double.parseDouble(parts[1]);
        int longSide = Math.min(resolution.longSidePixels(), maxLongSide);
        return w >= h
                ? new int[] {longSide, Math.max(1, (int) Math.round(longSide * h / w))}
                : new int[] {Math.max(1, (int) Math.round(longSide * w / h)), longSide};
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating", e);
        }
    }
}
