package dev.pacer.core.quota;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the ledger has learned of one account and model, kept in the same record as its counters so that every
 * worker paces by it at once and it survives cold starts: the limits the provider stated, the rates learned from
 * 429s it did not predict (or, where nothing is declared or stated, the guess it probes upward from), whether sends
 * are spread evenly over the window, and the last unpredicted 429. {@link QuotaLearning} holds the rules.
 */
public record Learning(Map<Dimension, LearnedRate> rates, Map<Dimension, Stated> stated, boolean spread,
        Optional<Unpredicted> last429) {

    public static final Learning NONE = new Learning(Map.of(), Map.of(), false, Optional.empty());

    public Learning {
        rates = Map.copyOf(rates);
        stated = Map.copyOf(stated);
        Objects.requireNonNull(last429, "last429");
    }

    /**
     * A rate pacer learned for one dimension, per minute.
     *
     * @param rate      what pacer allows itself now (below the declared and stated limits, which stay the ceiling)
     * @param heldBelow the rate at which the provider said 429 although pacer believed there was room: pacer climbs
     *                  back to just below it, not past it; empty where no 429 was met at a known even pace
     * @param since     when the rate last changed: it changes at most once a step interval
     * @param slowStart a guess, nothing declared or stated: it doubles while it is what holds pacer back
     * @param why       in a sentence, for GET /v1/quota
     */
    public record LearnedRate(int rate, Optional<Integer> heldBelow, Instant since, boolean slowStart, String why) {
        public LearnedRate {
            Objects.requireNonNull(heldBelow, "heldBelow");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(why, "why");
            if (rate < 1) {
                throw new IllegalArgumentException("a learned rate is at least 1: " + rate);
            }
        }

        /**
         * Where the rate stands, in words for GET /v1/quota; {@code applied}: it is what pacer holds to now (below the
         * declared and stated limits).
         */
        public String phase(boolean applied) {
            if (!applied) {
                return "at the ceiling";
            }
            if (slowStart) {
                return "slow start";
            }
            return heldBelow.filter(h -> rate >= h - QuotaLearning.step(h)).isPresent() ? "holding below the 429" : "rising";
        }
    }

    /** A limit the provider stated, and when pacer read it. */
    public record Stated(StatedLimit limit, Instant at) {
        public Stated {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(at, "at");
        }

        public Optional<Instant> resetsAt() {
            return limit.resetsIn().map(at::plus);
        }
    }

    /** The last 429 the ledger did not predict: it believed there was room. */
    public record Unpredicted(Instant at, String reason) {
        public Unpredicted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Optional<LearnedRate> rate(Dimension dimension) {
        return Optional.ofNullable(rates.get(dimension));
    }

    public Optional<Stated> stated(Dimension dimension) {
        return Optional.ofNullable(stated.get(dimension));
    }

    public Learning withRate(Dimension dimension, Optional<LearnedRate> rate) {
        Map<Dimension, LearnedRate> next = new EnumMap<>(Dimension.class);
        next.putAll(rates);
        rate.ifPresentOrElse(r -> next.put(dimension, r), () -> next.remove(dimension));
        return new Learning(next, stated, spread, last429);
    }

    public Learning withStated(Dimension dimension, Stated limit) {
        Map<Dimension, Stated> next = new EnumMap<>(Dimension.class);
        next.putAll(stated);
        next.put(dimension, limit);
        return new Learning(rates, next, spread, last429);
    }

    public Learning afterUnpredicted429(Unpredicted unpredicted) {
        return new Learning(rates, stated, true, Optional.of(unpredicted));
    }
}
