package dev.pacer.core.quota;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The window math, free of I/O and of the clock (callers pass {@code now}).
 *
 * <p>Rolling windows are exact: the grants of the last {@code window} are kept with their times, and a demand fits
 * when those still inside {@code (now - window, now]} plus the demand stay within the limit. A grant leaves the
 * window at {@code grant time + window}, so the earliest time a full window opens is read off the grant list.
 * A counter per calendar minute would let twice the limit through across a minute boundary.
 *
 * <p>{@code window} is the provider's 60 s plus a guard for the time between our grant and the provider's
 * receipt of the request (and clock differences): the provider must never see two of our requests that we
 * counted in different windows inside one of its own.
 */
public final class QuotaWindows {

    public static final Duration MINUTE = Duration.ofSeconds(60);

    private final Duration minute;
    private final Duration guard;

    public QuotaWindows(Duration guard) {
        this(MINUTE, guard);
    }

    /**
     * With a shorter {@code minute} than 60 s: only for tests and benchmarks that scale time down together with a
     * fake provider enforcing the same scaled window. Per-minute limits then apply per {@code minute}.
     */
    public QuotaWindows(Duration minute, Duration guard) {
        if (guard.isNegative() || minute.isNegative() || minute.isZero()) {
            throw new IllegalArgumentException("minute must be positive and guard not negative");
        }
        this.minute = minute;
        this.guard = guard;
    }

    public Duration rollingWindow() {
        return minute.plus(guard);
    }

    /** How long after its grant's time a call may reach the provider and still be counted right. */
    public Duration guard() {
        return guard;
    }

    /** The provider day {@code now} falls in, in the provider's reset zone. */
    public static LocalDate providerDay(Instant now, ZoneId zone) {
        return now.atZone(zone).toLocalDate();
    }

    /** When the provider day after the one {@code now} is in starts (23, 24 or 25 hours after the last one). */
    public static Instant nextProviderDay(Instant now, ZoneId zone) {
        return providerDay(now, zone).plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** The state as seen at {@code now}: grants that left every window and are not in flight dropped, a new day counted from 0. */
    public WindowState current(WindowState state, Instant now, ZoneId zone) {
        Instant oldest = now.minus(rollingWindow());
        List<Grant> kept = state.grants().stream()
                .filter(g -> g.at().isAfter(oldest) || g.inFlightAt(now))
                .sorted(Comparator.comparing(Grant::at))
                .toList();
        LocalDate today = providerDay(now, zone);
        boolean sameDay = state.day().equals(today);
        return new WindowState(state.version(), kept, today, sameDay ? state.dayRequests() : 0,
                state.cooldown().filter(c -> c.until().isAfter(now)), state.learning());
    }

    /** Whether {@code demand} fits {@code limits} (as declared, already reduced by the margin) on top of {@code state} at {@code now}. */
    public Headroom check(ModelLimits limits, Account account, WindowState state, Demand demand, Instant now) {
        return decide(AppliedLimits.declared(limits), account, state, demand, now).headroom();
    }

    /**
     * Whether {@code demand} fits the {@code applied} limits on top of {@code state} at {@code now}, and which of the
     * per-minute limits held it back ({@link Check#binding}: what a learned limit needs to know before it rises).
     */
    public Check decide(AppliedLimits applied, Account account, WindowState state, Demand demand, Instant now) {
        WindowState s = current(state, now, account.dayResetZone());
        ModelLimits limits = applied.limits();
        List<Headroom> verdicts = new ArrayList<>();
        Set<Dimension> binding = EnumSet.noneOf(Dimension.class);
        Set<Dimension> spacedOnly = EnumSet.noneOf(Dimension.class);
        s.cooldown().ifPresent(c -> verdicts.add(new Headroom.OpensAt(c.until(), "cooling down: " + c.reason())));

        Duration window = rollingWindow();
        for (Dimension dimension : Dimension.PER_MINUTE) {
            Optional<Integer> limit = limits.get(dimension);
            if (limit.isEmpty()) {
                continue;
            }
            boolean soft = applied.learned().contains(dimension);
            String name = dimension.label() + (soft ? " (learned)" : "");
            Headroom rolling = rolling(s.grants(), g -> dimension.of(g.demand()), limit.get(), dimension.of(demand), window, now, name, soft);
            Headroom paced = applied.spread() ? paced(s.grants(), dimension, limit.get(), now, name) : new Headroom.Fits();
            // Held back by this limit while the window already holds it: evidence that pacer sends at its pace. A gap
            // after an idle spell holds a demand back too, but says nothing about what the provider takes.
            Instant oldest = now.minus(window);
            long used = s.grants().stream().filter(g -> g.at().isAfter(oldest)).mapToLong(g -> dimension.of(g.demand())).sum();
            boolean full = used + dimension.of(demand) >= limit.get();
            if (!(rolling instanceof Headroom.Fits) || (!(paced instanceof Headroom.Fits) && full)) {
                binding.add(dimension);
            } else if (!(paced instanceof Headroom.Fits)) {
                spacedOnly.add(dimension);
            }
            verdicts.add(rolling);
            verdicts.add(paced);
        }
        account.smoothing().ifPresent(seconds -> {
            Duration smoothWindow = seconds.plus(guard);
            limits.rpm().ifPresent(rpm -> verdicts.add(rolling(s.grants(), g -> g.demand().requests(), smoothed(rpm, seconds),
                    demand.requests(), smoothWindow, now, "rpm smoothed over " + seconds.toSeconds() + " s", false)));
            limits.ipm().ifPresent(ipm -> verdicts.add(rolling(s.grants(), g -> g.demand().images(), smoothed(ipm, seconds),
                    demand.images(), smoothWindow, now, "ipm smoothed over " + seconds.toSeconds() + " s", false)));
        });
        for (Dimension dimension : Dimension.PER_MINUTE) {
            s.learning().stated(dimension).ifPresent(stated -> verdicts.add(remaining(s.grants(), dimension, stated, demand, now)));
        }

        limits.rpd().ifPresent(rpd -> {
            boolean soft = applied.learned().contains(Dimension.RPD);
            if (demand.requests() > rpd && !soft) {
                verdicts.add(new Headroom.Never(demand.requests() + " requests exceed rpd " + rpd));
            } else if (s.dayRequests() + demand.requests() > rpd && (!soft || s.dayRequests() > 0)) {
                verdicts.add(new Headroom.OpensAt(nextProviderDay(now, account.dayResetZone()),
                        "rpd " + rpd + (soft ? " (learned)" : "") + " used up until the provider day turns"));
            }
        });
        limits.maxConcurrent().ifPresent(max -> {
            // maxConcurrent counts calls, not jobs: a Gemini job of 4 images is 4 calls side by side. A job that needs
            // more calls than the limit runs alone, when nothing else is in flight, rather than never.
            List<Grant> inFlight = s.grants().stream().filter(g -> g.inFlightAt(now)).toList();
            int calls = inFlight.stream().mapToInt(g -> g.demand().requests()).sum();
            if (!inFlight.isEmpty() && calls + demand.requests() > max) {
                // No one knows when a call ends; look again when the first hold would lapse, or in 10 s.
                Instant lapse = inFlight.stream().map(Grant::holdUntil).min(Comparator.naturalOrder()).orElse(now);
                Instant soon = now.plusSeconds(10);
                verdicts.add(new Headroom.OpensAt(lapse.isBefore(soon) ? lapse : soon, calls + " of " + max + " calls in flight"));
            }
        });
        return new Check(combine(verdicts), binding, spacedOnly);
    }

    /**
     * What {@link #decide} came to: the headroom; the per-minute limits that held the demand back with their window
     * full ({@code binding}); and those that held it back only by the spacing, with room in the window
     * ({@code spacedOnly}).
     */
    public record Check(Headroom headroom, Set<Dimension> binding, Set<Dimension> spacedOnly) {
        public Check {
            java.util.Objects.requireNonNull(headroom, "headroom");
            binding = Set.copyOf(binding);
            spacedOnly = Set.copyOf(spacedOnly);
        }
    }

    /** At most ceil(limit × S / 60) in any S seconds. */
    public static int smoothed(int perMinute, Duration seconds) {
        return (int) Math.ceil(perMinute * (double) seconds.toMillis() / MINUTE.toMillis() - 1e-9);
    }

    /**
     * Sends spread evenly: after a grant of {@code a} on a dimension limited to {@code limit} per window, the next waits
     * window × a / limit. With one request per grant at 12 rpm, one every 5.08 s (61 s / 12): never more than 2 in any
     * 10 s, which is what a provider enforcing its minute over sub-windows wants.
     */
    Headroom paced(List<Grant> grants, Dimension dimension, int limit, Instant now, String name) {
        Optional<Grant> last = grants.stream().max(Comparator.comparing(Grant::at));
        if (last.isEmpty() || dimension.of(last.get().demand()) == 0) {
            return new Headroom.Fits();
        }
        long gapNanos = (long) Math.ceil(rollingWindow().toNanos() * (double) dimension.of(last.get().demand()) / limit);
        Instant next = last.get().at().plusNanos(gapNanos);
        return next.isAfter(now) ? new Headroom.OpensAt(next, name + " " + limit + " spread evenly: next at " + next)
                : new Headroom.Fits();
    }

    /**
     * What the provider said is left until its reset (OpenAI's {@code x-ratelimit-remaining-*}), less what pacer
     * granted since it said so: nothing more before the reset, so that its 429 is predicted, not met.
     */
    static Headroom remaining(List<Grant> grants, Dimension dimension, Learning.Stated stated, Demand demand, Instant now) {
        Optional<Long> remaining = stated.limit().remaining();
        Optional<Instant> resets = stated.resetsAt();
        if (remaining.isEmpty() || resets.isEmpty() || !resets.get().isAfter(now)) {
            return new Headroom.Fits();
        }
        long since = grants.stream().filter(g -> g.at().isAfter(stated.at())).mapToLong(g -> dimension.of(g.demand())).sum();
        return since + dimension.of(demand) <= remaining.get() ? new Headroom.Fits()
                : new Headroom.OpensAt(resets.get(), "the provider said " + remaining.get() + " " + dimension.label()
                        + " remain until " + resets.get());
    }

    /**
     * One rolling dimension: fits when what is inside {@code (now - window, now]} plus {@code amount} is within
     * {@code limit}; otherwise opens when enough of the oldest grants have left the window. A demand larger than a
     * {@code soft} (learned) limit is not refused for good: it fits alone in its window.
     */
    static Headroom rolling(List<Grant> grants, ToLongFunction<Grant> size, long limit, long amount, Duration window,
            Instant now, String dimension, boolean soft) {
        if (amount > limit && !soft) {
            return new Headroom.Never(amount + " exceeds " + dimension + " " + limit);
        }
        Instant oldest = now.minus(window);
        List<Grant> inside = grants.stream().filter(g -> g.at().isAfter(oldest)).sorted(Comparator.comparing(Grant::at)).toList();
        long used = inside.stream().mapToLong(size).sum();
        long room = Math.max(limit, amount); // a demand over a soft limit needs an empty window
        if (used + amount <= room && (amount <= limit || used == 0)) {
            return new Headroom.Fits();
        }
        for (Grant grant : inside) {
            used -= size.applyAsLong(grant);
            if (used + amount <= limit || used == 0) {
                return new Headroom.OpensAt(grant.at().plus(window), dimension + " " + limit + " reached");
            }
        }
        throw new IllegalStateException("unreachable: an empty window always fits an amount within the limit");
    }

    /** Never beats waiting; of the waits, the latest one is the earliest time all windows are open together. */
    static Headroom combine(List<Headroom> verdicts) {
        Headroom result = new Headroom.Fits();
        for (Headroom verdict : verdicts) {
            if (verdict instanceof Headroom.Never) {
                return verdict;
            }
            if (verdict instanceof Headroom.OpensAt opens
                    && (!(result instanceof Headroom.OpensAt current) || opens.at().isAfter(current.at()))) {
                result = opens;
            }
        }
        return result;
    }

    /** What an account and model use in the windows at {@code now}: for GET /v1/quota. */
    public Usage usage(WindowState state, Instant now, ZoneId zone) {
        WindowState s = current(state, now, zone);
        Instant oldest = now.minus(minute);
        long requests = 0;
        long images = 0;
        long tokens = 0;
        int inFlight = 0;
        for (Grant g : s.grants()) {
            if (g.at().isAfter(oldest)) {
                requests += g.demand().requests();
                images += g.demand().images();
                tokens += g.demand().tokens();
            }
            if (g.inFlightAt(now)) {
                inFlight += g.demand().requests(); // calls, not jobs
            }
        }
        return new Usage(requests, images, tokens, s.dayRequests(), s.day(), nextProviderDay(now, zone), inFlight, s.cooldown());
    }

    /** Use in the current windows: the last 60 s, the provider day, calls in flight. */
    public record Usage(long requestsLastMinute, long imagesLastMinute, long tokensLastMinute, int requestsToday,
            LocalDate providerDay, Instant dayResetsAt, int inFlight, java.util.Optional<Cooldown> cooldown) {
    }
}
