package dev.pacer.providers;

import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;

import java.util.ArrayList;
import java.util.List;

/** Folds the outcomes of the several calls one job needed (Gemini: one per image) into one. */
public final class Outcomes {

    private Outcomes() {
    }

    /**
     * All generated: the images and summed usage. Otherwise the failure that matters most: a refusal
     * (retrying cannot help), then an ambiguous call (it may be billed: the retry policy must see it),
     * then a rate limit, then any other passing failure. Images of the calls that did succeed are
     * dropped with the attempt; the message says how many.
     */
    public static ProviderOutcome combine(List<ProviderOutcome> outcomes) {
        List<GeneratedImage> images = new ArrayList<>();
        Usage usage = Usage.NONE;
        ProviderOutcome worst = null;
        for (ProviderOutcome outcome : outcomes) {
            if (outcome instanceof ProviderOutcome.Generated generated) {
                images.addAll(generated.images());
                usage = usage.plus(generated.usage());
            } else if (worst == null || rank(outcome) < rank(worst)) {
                worst = outcome;
            }
        }
        if (worst == null) {
            return new ProviderOutcome.Generated(images, usage);
        }
        if (images.isEmpty() || outcomes.size() == 1) {
            return worst;
        }
        String dropped = " (" + images.size() + " of " + outcomes.size() + " images were generated and dropped)";
        if (worst instanceof ProviderOutcome.Refused r) {
            return new ProviderOutcome.Refused(r.type(), r.message() + dropped);
        }
        if (worst instanceof ProviderOutcome.Ambiguous a) {
            return new ProviderOutcome.Ambiguous(a.type(), a.message() + dropped);
        }
        if (worst instanceof ProviderOutcome.RateLimited l) {
            return new ProviderOutcome.RateLimited(l.type(), l.message() + dropped, l.retryAfter(), l.perDay(), l.quotaId());
        }
        ProviderOutcome.RetryLater later = (ProviderOutcome.RetryLater) worst;
        return new ProviderOutcome.RetryLater(later.type(), later.message() + dropped);
    }

    private static int rank(ProviderOutcome outcome) {
        if (outcome instanceof ProviderOutcome.Refused) {
            return 0;
        }
        if (outcome instanceof ProviderOutcome.Ambiguous) {
            return 1;
        }
        if (outcome instanceof ProviderOutcome.RateLimited) {
            return 2;
        }
        return 3;
    }
}
