package dev.pacer.providers;

import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.port.ProviderOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Folds what a job's calls brought into one outcome, keeping every image that came back. */
public final class Outcomes {

    /** The error type of {@link #errorDuringCall}. */
    public static final String ERROR_DURING_CALL = "worker_error_during_call";

    private Outcomes() {
    }

    /**
     * The outcomes of the several calls one job needed (Gemini: one per image). All generated: the images and
     * summed usage. None: the failure that matters most — a refusal (retrying cannot help), then an ambiguous call
     * (it may be billed: the retry policy must see it), then a rate limit, then any other passing failure. Some:
     * a {@link ProviderOutcome.Partial} with the images that came back (they are billed) and that failure for the rest.
     */
    public static ProviderOutcome combine(List<ProviderOutcome> outcomes) {
        List<GeneratedImage> images = new ArrayList<>();
        Usage usage = Usage.NONE;
        ProviderOutcome.Failure worst = null;
        for (ProviderOutcome outcome : outcomes) {
            Optional<ProviderOutcome.Generated> made = outcome.made();
            if (made.isPresent()) {
                images.addAll(made.get().images());
                usage = usage.plus(made.get().usage());
            }
            Optional<ProviderOutcome.Failure> failure = outcome.missing();
            if (failure.isPresent() && (worst == null || rank(failure.get()) < rank(worst))) {
                worst = failure.get();
            }
        }
        if (worst == null) {
            return new ProviderOutcome.Generated(images, usage);
        }
        return images.isEmpty() ? worst : new ProviderOutcome.Partial(new ProviderOutcome.Generated(images, usage), worst);
    }

    /**
     * One call asked for {@code asked} images and {@code generated} came back: all of them, or a
     * {@link ProviderOutcome.Partial} whose missing images failed as {@code whyNotAll} is classified.
     */
    public static ProviderOutcome ofAnswer(int asked, ProviderOutcome.Generated generated, ProviderError whyNotAll) {
        return generated.images().size() >= asked ? generated : new ProviderOutcome.Partial(generated, Classification.classify(whyNotAll));
    }

    /**
     * An {@link Error} thrown while a call was in flight, such as an OutOfMemoryError while its answer was read: the
     * request was sent, so it may have been generated and billed. Never "retry later". Empty when {@code thrown} is
     * not (caused by) an Error.
     */
    public static Optional<ProviderOutcome.Ambiguous> errorDuringCall(String provider, Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof Error error) {
                return Optional.of(new ProviderOutcome.Ambiguous(ERROR_DURING_CALL, provider + ": " + error.getClass().getSimpleName()
                        + " in the worker while the call was in flight: it may have been generated and billed"));
            }
        }
        return Optional.empty();
    }

    private static int rank(ProviderOutcome.Failure failure) {
        if (!failure.isRetryable()) {
            return 0;
        }
        if (failure.isAmbiguous()) {
            return 1;
        }
        return failure.rateLimit().isPresent() ? 2 : 3;
    }
}
