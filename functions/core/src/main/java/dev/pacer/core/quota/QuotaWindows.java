package dev.pacer.core.quota;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
                state.cooldown().filter(c -> c.until().isAfter(now)));
    }

    /** Whether {@code demand} fits {@code limits} (already reduced by the margin) on top of {@code state} at {@code now}. */
    public Headroom check(ModelLimits limits, Account account, WindowState state, Demand demand, Instant now) {
        WindowState s = current(state, now, account.dayResetZone());
        List<Headroom> verdicts = new ArrayList<>();
        s.cooldown().ifPresent(c -> verdicts.add(new Headroom.OpensAt(c.until(), "cooling down: " + c.reason())));

        Duration window = rollingWindow();
        verdicts.add(rolling(s.grants(), g -> g.demand().requests(), limits.rpm(), demand.requests(), window, now, "rpm"));
        verdicts.add(rolling(s.grants(), g -> g.demand().images(), limits.ipm(), demand.images(), window, now, "ipm"));
        limits.tpm().ifPresent(tpm ->
                verdicts.add(rolling(s.grants(), g -> g.demand().tokens(), tpm, demand.tokens(), window, now, "tpm")));
        account.smoothing().ifPresent(seconds -> {
            Duration smoothWindow = seconds.plus(guard);
            verdicts.add(rolling(s.grants(), g -> g.demand().requests(), smoothed(limits.rpm(), seconds),
                    demand.requests(), smoothWindow, now, "rpm smoothed over " + seconds.toSeconds() + " s"));
            verdicts.add(rolling(s.grants(), g -> g.demand().images(), smoothed(limits.ipm(), seconds),
                    demand.images(), smoothWindow, now, "ipm smoothed over " + seconds.toSeconds() + " s"));
        });

        if (demand.requests() > limits.rpd()) {
            verdicts.add(new Headroom.Never(demand.requests() + " requests exceed rpd " + limits.rpd()));
        } else if (s.dayRequests() + demand.requests() > limits.rpd()) {
            verdicts.add(new Headroom.OpensAt(nextProviderDay(now, account.dayResetZone()),
                    "rpd " + limits.rpd() + " used up until the provider day turns"));
        }
        limits.maxConcurrent().ifPresent(max -> {
            // maxConcurrent counts calls, not jobs: a Gemini job of 4 images is 4 calls side by side. A job that needs
            // more calls than the limit runs alone, when nothing else is in flight, rather than never.
            List<Grant> inFlight = s.grants().stream().filter(g -> g.inFlightAt(now)).toList();
            int callsInFlight = inFlight.stream().mapToInt(g -> g.demand().requests()).sum();
            if (!inFlight.isEmpty() && callsInFlight + demand.requests() > max) {
                // No one knows when a call ends; look again when the first hold would lapse, or in 10 s.
                Instant lapse = inFlight.stream().map(Grant::holdUntil).min(Comparator.naturalOrder()).orElse(now);
                Instant soon = now.plusSeconds(10);
                verdicts.add(new Headroom.OpensAt(lapse.isBefore(soon) ? lapse : soon, max + " calls in flight"));
            }
        });
        return combine(verdicts);
    }

    /** At most ceil(limit × S / 60) in any S seconds. */
    public static int smoothed(int perMinute, Duration seconds) {
        return (int) Math.ceil(perMinute * (double) seconds.toMillis() / MINUTE.toMillis() - 1e-9);
    }

    /**
     * One rolling dimension: fits when what is inside {@code (now - window, now]} plus {@code amount} is within
     * {@code limit}; otherwise opens when enough of the oldest grants have left the window.
     */
    static Headroom rolling(List<Grant> grants, ToLongFunction<Grant> size, long limit, long amount, Duration window,
            Instant now, String dimension) {
        if (amount > limit) {
            return new Headroom.Never(amount + " exceeds " + dimension + " " + limit);
        }
        Instant oldest = now.minus(window);
        List<Grant> inside = grants.stream().filter(g -> g.at().isAfter(oldest)).sorted(Comparator.comparing(Grant::at)).toList();
        long used = inside.stream().mapToLong(size).sum();
        if (used + amount <= limit) {
            return new Headroom.Fits();
        }
        for (Grant grant : inside) {
            used -= size.applyAsLong(grant);
            if (used + amount <= limit) {
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
                inFlight += g.demand().requests();
            }
        }
        return new Usage(requests, images, tokens, s.dayRequests(), s.day(), nextProviderDay(now, zone), inFlight, s.cooldown());
    }

    /** Use in the current windows: the last 60 s, the provider day, in flight. */
    public record Usage(long requestsLastMinute, long imagesLastMinute, long tokensLastMinute, int requestsToday,
            LocalDate providerDay, Instant dayResetsAt, int inFlight, java.util.Optional<Cooldown> cooldown) {
    }
}
