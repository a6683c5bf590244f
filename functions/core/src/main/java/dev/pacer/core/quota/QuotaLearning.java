package dev.pacer.core.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * How pacer learns an account's effective limits, free of I/O and of the clock (callers pass {@code now}). The
 * declared limits are a ceiling, and so are the limits the provider states; under them:
 * <ul>
 *   <li>A 429 the ledger did not predict lowers the rate of the limit it names to {@value #DECREASE} of what was
 *       applied (multiplicative decrease), and from then on grants are spread evenly over the window. When pacer was
 *       already spreading, it knows the rate the provider refused: it climbs back to one step below it and holds
 *       there; only after {@value #HOLD_WINDOWS} windows without a 429 does it probe one step above.</li>
 *   <li>While a learned rate is what holds pacer back, with its window full (or, for a rate a burst's 429 lowered,
 *       by its spacing alone), it rises by one step (a twentieth of the rate it climbs toward, at least 1) every
 *       quarter window without a 429 (additive increase), never above the ceiling.</li>
 *   <li>Where neither requests nor images per minute are declared or stated, pacer starts at
 *       {@value #CAUTIOUS_START} a minute and doubles while that holds it back (slow start), until a 429 or a
 *       stated limit.</li>
 *   <li>A limit the provider states wins over a guess: it replaces a slow-start rate, and a 429 that a newly stated
 *       lower limit explains lowers nothing further.</li>
 * </ul>
 * Everything learned lives in the account's {@link WindowState}, so it is one write with the grant that uses it.
 */
public final class QuotaLearning {

    /**
     * What a rate keeps of itself after an unpredicted 429. Gentler than TCP's halving (or CUBIC's 0.7): a provider's
     * limit is fixed, not congestion that clears by backing off, so a deeper cut only costs the climb back.
     */
    static final double DECREASE = 0.8;
    /** Requests and images per minute of an account that declares and states neither (OpenAI's tier-1 IPM). */
    static final int CAUTIOUS_START = 5;
    /** How long a rate holds just below where it met a 429 before it probes above, in windows. */
    static final int HOLD_WINDOWS = 10;

    private final Duration window;
    private final Duration stepInterval;
    private final boolean enabled;

    private QuotaLearning(Duration window, Duration stepInterval, boolean enabled) {
        this.window = window;
        this.stepInterval = stepInterval;
        this.enabled = enabled;
    }

    /**
     * The rules above, timed by the ledger's rolling window: a step every quarter window (15.25 s), each after the
     * window held the rate it rises from.
     */
    public static QuotaLearning standard(QuotaWindows windows) {
        return new QuotaLearning(windows.rollingWindow(), windows.rollingWindow().dividedBy(4), true);
    }

    /**
     * Nothing learned: the declared limits as they are, nothing where none is declared, and a 429 only cools the
     * account down. The ledger as it was before learning; benchmarks compare against it.
     */
    public static QuotaLearning off(QuotaWindows windows) {
        return new QuotaLearning(windows.rollingWindow(), windows.rollingWindow().dividedBy(4), false);
    }

    /** The same rules with another step interval: tests that need a learned rate to stay put. */
    public QuotaLearning withStepInterval(Duration interval) {
        return new QuotaLearning(window, interval, enabled);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The lower of the declared and the stated limit, after the account's safety margin; empty when neither is known. */
    public Optional<Integer> ceiling(Account account, String model, Learning learning, Dimension dimension) {
        Optional<Integer> declared = account.limits(model).flatMap(l -> l.get(dimension));
        Optional<Integer> stated = enabled ? learning.stated(dimension).map(s -> s.limit().limit()) : Optional.empty();
        return lower(declared, stated).map(l -> ModelLimits.reduce(l, account.safetyMargin()));
    }

    /** What pacer holds the account and model to now, given what it learned. */
    public AppliedLimits applied(Account account, String model, Learning learning) {
        ModelLimits limits = new ModelLimits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                account.limits(model).flatMap(ModelLimits::maxConcurrent));
        Set<Dimension> learned = EnumSet.noneOf(Dimension.class);
        for (Dimension dimension : Dimension.values()) {
            Optional<Integer> ceiling = ceiling(account, model, learning, dimension);
            Optional<Integer> rate = learnedRate(account, model, learning, dimension).map(Learning.LearnedRate::rate);
            if (rate.isPresent() && (ceiling.isEmpty() || rate.get() < ceiling.get())) {
                limits = limits.with(dimension, rate);
                learned.add(dimension);
            } else {
                limits = limits.with(dimension, ceiling);
            }
        }
        boolean paced = learned.stream().anyMatch(Dimension.PER_MINUTE::contains);
        return new AppliedLimits(limits, learned, enabled && (learning.spread() || paced));
    }

    /** The learning with the cautious start written down (from {@code now}) where nothing is known of rpm and ipm. */
    public Learning started(Account account, String model, Learning learning, Instant now) {
        Learning started = learning;
        for (Dimension dimension : java.util.List.of(Dimension.RPM, Dimension.IPM)) {
            if (learning.rate(dimension).isEmpty() && startsCautiously(account, model, learning, dimension)) {
                started = started.withRate(dimension, Optional.of(cautiousStart(now)));
            }
        }
        return started;
    }

    /**
     * One step up on each learned limit that just held a demand back, whose last change is a step interval old; empty
     * when none may rise. {@code binding}: held back with its window full, the evidence that pacer sends at that rate.
     * {@code spacedOnly}: held back by the spacing alone; that is evidence enough for a rate lowered by a 429 in a burst
     * (no {@code heldBelow}): the burst, not the rate, was what the provider refused, so it climbs back toward where it
     * was as soon as demand presses. A rate lowered at an even pace, or a guess, rises only with its window full.
     */
    public Optional<Learning> raised(Account account, String model, Learning learning, Set<Dimension> binding,
            Set<Dimension> spacedOnly, Instant now) {
        if (!enabled) {
            return Optional.empty();
        }
        Learning next = learning;
        Set<Dimension> pressing = EnumSet.noneOf(Dimension.class);
        pressing.addAll(binding);
        spacedOnly.stream()
                .filter(d -> learning.rate(d).filter(r -> !r.slowStart() && r.heldBelow().isEmpty()).isPresent())
                .forEach(pressing::add);
        for (Dimension dimension : pressing) {
            Optional<Learning.LearnedRate> learned = learnedRate(account, model, learning, dimension);
            Optional<Integer> ceiling = ceiling(account, model, learning, dimension);
            if (!Dimension.PER_MINUTE.contains(dimension) || learned.isEmpty()
                    || ceiling.filter(c -> learned.get().rate() >= c).isPresent()
                    || now.isBefore(learned.get().since().plus(stepInterval))) {
                continue;
            }
            Optional<Learning.LearnedRate> step = step(learned.get(), ceiling, now);
            if (step.isPresent()) {
                next = next.withRate(dimension, step);
            }
        }
        return next.equals(learning) ? Optional.empty() : Optional.of(next);
    }

    private Optional<Learning.LearnedRate> step(Learning.LearnedRate learned, Optional<Integer> ceiling, Instant now) {
        int rate;
        Optional<Integer> heldBelow = learned.heldBelow();
        String why;
        if (learned.slowStart()) {
            rate = learned.rate() * 2;
            why = "slow start: doubled after " + stepInterval.toSeconds() + " s at " + learned.rate() + " without a 429";
        } else if (heldBelow.isPresent()) {
            int step = step(heldBelow.get());
            int hold = Math.max(1, heldBelow.get() - step);
            if (learned.rate() < hold) {
                rate = Math.min(hold, learned.rate() + step);
                why = "no 429 for " + stepInterval.toSeconds() + " s: +" + step + ", back toward " + hold
                        + ", one step below the " + heldBelow.get() + " a 429 met";
            } else if (!now.isBefore(learned.since().plus(window.multipliedBy(HOLD_WINDOWS)))) {
                heldBelow = Optional.of(heldBelow.get() + step);
                rate = learned.rate() + step;
                why = "held " + HOLD_WINDOWS + " windows below the 429 without another: probing one step above";
            } else {
                return Optional.empty();
            }
        } else {
            int step = step(ceiling.orElse(learned.rate()));
            rate = learned.rate() + step;
            why = "no 429 for " + stepInterval.toSeconds() + " s: +" + step;
        }
        int capped = ceiling.map(c -> Math.min(c, rate)).orElse(rate);
        return Optional.of(new Learning.LearnedRate(capped, heldBelow, now, learned.slowStart(), why));
    }

    /** One additive step toward {@code reference}: a twentieth of it, at least 1. */
    static int step(int reference) {
        return Math.max(1, (int) Math.ceil(reference / 20.0));
    }

    /**
     * What the provider stated with an answer, kept. A stated limit wins over a guess: where requests or images per
     * minute are stated, the slow-start rates of both go (they only stood in for knowing nothing).
     */
    public Learning observed(Learning learning, StatedLimits stated, Instant now) {
        if (!enabled || stated.isEmpty()) {
            return learning;
        }
        Learning next = learning;
        for (var entry : stated.limits().entrySet()) {
            next = next.withStated(entry.getKey(), new Learning.Stated(entry.getValue(), now));
            if (next.rate(entry.getKey()).filter(Learning.LearnedRate::slowStart).isPresent()) {
                next = next.withRate(entry.getKey(), Optional.empty());
            }
        }
        if (stated.get(Dimension.RPM).isPresent() || stated.get(Dimension.IPM).isPresent()) {
            for (Dimension guessed : java.util.List.of(Dimension.RPM, Dimension.IPM)) {
                if (next.rate(guessed).filter(Learning.LearnedRate::slowStart).isPresent()) {
                    next = next.withRate(guessed, Optional.empty());
                }
            }
        }
        return next;
    }

    /**
     * Whether what an answer stated is worth a write of its own: a limit that changed, or a provider saying little is
     * left before its reset (then nothing more is sent before it). A remaining count that is still high changes no
     * decision, so it is kept only with a write that happens anyway.
     */
    public boolean worthWriting(Learning before, Learning after) {
        for (Dimension dimension : Dimension.values()) {
            Optional<Learning.Stated> was = before.stated(dimension);
            Optional<Learning.Stated> now = after.stated(dimension);
            if (now.isEmpty()) {
                continue;
            }
            if (was.isEmpty() || was.get().limit().limit() != now.get().limit().limit()) {
                return true;
            }
            StatedLimit stated = now.get().limit();
            if (stated.remaining().filter(r -> r <= stated.limit() / 10).isPresent()) {
                return true;
            }
        }
        return !before.rates().equals(after.rates());
    }

    /**
     * What a 429 teaches. A per-day one: the provider day is spent (the cooldown waits for its turn); where no rpd is
     * declared or stated, the day's count is what pacer allows itself from then on. A per-minute one the ledger did not
     * predict lowers the rates of the limits it names (rpm and ipm when it names none) and spreads the grants evenly,
     * unless a limit it states explains it. A 429 to a call sent before pacer reacted to the last one is not news.
     *
     * @param state the account and model as stored now, with the grant of the refused call
     */
    public Learning after429(Account account, String model, WindowState state, Reservation refused, RateLimit rateLimit,
            Instant now) {
        if (!enabled) {
            return state.learning();
        }
        Learning before = state.learning();
        Learning learning = observed(before, rateLimit.stated(), now);
        Learning.Unpredicted unpredicted = new Learning.Unpredicted(now, rateLimit.message());
        if (rateLimit.perDay()) {
            if (ceiling(account, model, learning, Dimension.RPD).isEmpty() && state.dayRequests() > 1) {
                int allowed = state.dayRequests() - 1;
                learning = learning.withRate(Dimension.RPD, Optional.of(new Learning.LearnedRate(allowed,
                        Optional.of(state.dayRequests()), now, false, "a per-day 429 after " + allowed + " requests")));
            }
            return new Learning(learning.rates(), learning.stated(), learning.spread(), Optional.of(unpredicted));
        }
        if (before.last429().filter(last -> refused.grantedAt().isBefore(last.at())).isPresent()) {
            return learning;
        }
        AppliedLimits was = applied(account, model, before);
        AppliedLimits explained = applied(account, model, learning);
        Set<Dimension> named = EnumSet.noneOf(Dimension.class);
        rateLimit.dimensions().stream().filter(Dimension.PER_MINUTE::contains).forEach(named::add);
        if (named.isEmpty()) {
            named.addAll(Set.of(Dimension.RPM, Dimension.IPM));
        }
        for (Dimension dimension : named) {
            Optional<Integer> applied = was.limits().get(dimension);
            Optional<Integer> stated = explained.limits().get(dimension);
            if (stated.isPresent() && (applied.isEmpty() || stated.get() < applied.get())) {
                continue; // the limit the provider just stated is lower than what pacer applied: that was the 429
            }
            long used = Math.max(usedAround(state, refused.grantedAt(), dimension), usedAround(state, now, dimension));
            if (applied.isEmpty() && used == 0) {
                continue; // nothing pacer counts: nothing to learn a rate from
            }
            // Spreading evenly, pacer knows the pace the provider refused; in a burst only that it was too much at once.
            long refusedAt = applied.isEmpty() ? used : was.spread() ? Math.min(applied.get(), used) : applied.get();
            int base = (int) Math.max(1, Math.min(Integer.MAX_VALUE, refusedAt));
            int rate = Math.max(1, (int) Math.floor(base * DECREASE));
            Optional<Integer> heldBelow = applied.isEmpty() || was.spread() ? Optional.of(base)
                    : before.rate(dimension).flatMap(Learning.LearnedRate::heldBelow);
            learning = learning.withRate(dimension, Optional.of(new Learning.LearnedRate(rate, heldBelow, now, false,
                    "unpredicted 429 at " + base + " " + dimension.label() + (was.spread() ? " spread evenly" : " in a burst")
                            + ": × " + DECREASE)));
        }
        return learning.afterUnpredicted429(unpredicted);
    }

    /**
     * What pacer granted of a dimension in the window up to {@code at}, the refused call included. The state keeps
     * only the last window's grants: for a call that took long, the window up to now stands in for the one up to its
     * grant (spreading evenly, the two hold about the same).
     */
    private long usedAround(WindowState state, Instant at, Dimension dimension) {
        Instant oldest = at.minus(window);
        return state.grants().stream()
                .filter(g -> g.at().isAfter(oldest) && !g.at().isAfter(at))
                .mapToLong(g -> dimension.of(g.demand()))
                .sum();
    }

    private Optional<Learning.LearnedRate> learnedRate(Account account, String model, Learning learning, Dimension dimension) {
        if (!enabled) {
            return Optional.empty();
        }
        return learning.rate(dimension)
                .or(() -> startsCautiously(account, model, learning, dimension) ? Optional.of(cautiousStart(Instant.EPOCH))
                        : Optional.empty());
    }

    private boolean startsCautiously(Account account, String model, Learning learning, Dimension dimension) {
        if (!enabled || (dimension != Dimension.RPM && dimension != Dimension.IPM)) {
            return false;
        }
        return java.util.List.of(Dimension.RPM, Dimension.IPM).stream()
                .allMatch(d -> ceiling(account, model, learning, d).isEmpty() && learning.rate(d).isEmpty());
    }

    private static Learning.LearnedRate cautiousStart(Instant now) {
        return new Learning.LearnedRate(CAUTIOUS_START, Optional.empty(), now, true,
                "nothing declared or stated: a cautious start, doubled while it holds pacer back");
    }

    private static Optional<Integer> lower(Optional<Integer> a, Optional<Integer> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : Optional.of(Math.min(a.get(), b.get()));
    }
}
