package dev.pacer.core.quota;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The limits pacer holds an account and model to now ({@link QuotaLearning#applied}).
 *
 * @param limits  per dimension the lowest of the declared (after the margin), the stated and the learned limit;
 *                empty where nothing is known
 * @param learned the dimensions whose limit is learned, not declared or stated: soft (a job larger than it still
 *                runs, alone in its window) and raised while it holds pacer back
 * @param spread  grants are spaced evenly: at most one every window × amount / limit on each dimension
 */
public record AppliedLimits(ModelLimits limits, Set<Dimension> learned, boolean spread) {

    public AppliedLimits {
        Objects.requireNonNull(limits, "limits");
        learned = learned.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(learned));
    }

    /** Exactly these limits, as declared: nothing learned, no spreading. */
    public static AppliedLimits declared(ModelLimits limits) {
        return new AppliedLimits(limits, Set.of(), false);
    }
}
