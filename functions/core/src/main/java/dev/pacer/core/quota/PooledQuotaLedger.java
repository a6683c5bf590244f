package dev.pacer.core.quota;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The ledger over a {@link QuotaStateStore}: decides on each candidate account's state with {@link QuotaWindows}
 * and writes the new state back with a compare-and-set, so concurrent workers never grant past a limit.
 * <p>
 * It decides on the state it last saw of each account and model (kept per instance, i.e. per worker process)
 * instead of reading it first: in the common case a reservation is one conditional write. Only the write is
 * trusted: if anyone wrote since, it fails, the conflict brings the current state, and the ledger decides again.
 * A stale state can under-count others' use (the write then fails) or over-count it (a grant released or a window
 * passed elsewhere): so a "full" verdict on a state not read during this call is re-read before it is believed.
 */
public final class PooledQuotaLedger implements QuotaLedger {

    /** A 429 that names no delay still means "not now": a minute is what a per-minute quota needs at most. */
    static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(60);
    private static final int MAX_CONFLICTS_PER_CALL = 200;

    private final AccountPool pool;
    private final QuotaStateStore store;
    private final QuotaWindows windows;
    private final QuotaLearning learning;
    private final Clock clock;
    private final Random random;
    private final AtomicLong conflicts = new AtomicLong();
    private final Map<String, WindowState> lastSeen = new ConcurrentHashMap<>();

    /** A ledger that learns the accounts' effective limits ({@link QuotaLearning#standard}). */
    public PooledQuotaLedger(AccountPool pool, QuotaStateStore store, QuotaWindows windows, Clock clock, Random random) {
        this(pool, store, windows, QuotaLearning.standard(windows), clock, random);
    }

    public PooledQuotaLedger(AccountPool pool, QuotaStateStore store, QuotaWindows windows, QuotaLearning learning, Clock clock,
            Random random) {
        this.pool = pool;
        this.store = store;
        this.windows = windows;
        this.learning = learning;
        this.clock = clock;
        this.random = random;
    }

    /** Compare-and-set races lost so far (each one cost another write): a measure of contention. */
    public long conflicts() {
        return conflicts.get();
    }

    @Override
    public ReservationOutcome reserve(String model, Demand demand, Duration hold) {
        List<Account> serving = pool.serving(model);
        if (serving.isEmpty()) {
            return new ReservationOutcome.Unservable("no account in the pool serves " + model);
        }
        Set<String> readThisCall = new HashSet<>();
        for (int round = 0; round < MAX_CONFLICTS_PER_CALL; round++) {
            Instant now = clock.instant();
            List<Candidate> fitting = new ArrayList<>();
            Headroom.OpensAt soonest = null;
            List<String> never = new ArrayList<>();
            List<Account> fullOnUnreadState = new ArrayList<>();
            for (Account account : serving) {
                WindowState state = windows.current(lastSeen(account, model, now), now, account.dayResetZone());
                Decision decision = decide(account, model, state, demand, now);
                Headroom headroom = decision.check().headroom();
                if (headroom instanceof Headroom.OpensAt && !readThisCall.contains(key(account, model))) {
                    fullOnUnreadState.add(account);
                }
                if (headroom instanceof Headroom.Fits) {
                    fitting.add(new Candidate(account, decision.applied(), state.withLearning(decision.learning()),
                            spare(decision.applied().limits(), state, demand, now, account)));
                } else if (headroom instanceof Headroom.OpensAt opens) {
                    if (soonest == null || opens.at().isBefore(soonest.at())) {
                        soonest = new Headroom.OpensAt(opens.at(), account.id() + ": " + opens.reason());
                    }
                } else {
                    never.add(account.id() + ": " + ((Headroom.Never) headroom).reason());
                }
            }
            if (fitting.isEmpty() && !fullOnUnreadState.isEmpty()) {
                // Full on what this instance saw last: a job would wait on that, so read before believing it.
                for (Account account : fullOnUnreadState) {
                    read(account, model, now);
                    readThisCall.add(key(account, model));
                }
                continue;
            }
            if (fitting.isEmpty()) {
                return soonest != null
                        ? new ReservationOutcome.NoHeadroom(soonest.at(), soonest.reason())
                        : new ReservationOutcome.Unservable("no account can ever serve this demand: " + String.join("; ", never));
            }
            // Spread load: the account with the most room left goes first; equals in random order.
            fitting.sort(Comparator.comparingDouble(Candidate::spare).reversed()
                    .thenComparingInt(c -> random.nextInt()));
            Candidate chosen = fitting.get(0);
            Reservation reservation = new Reservation(UUID.randomUUID().toString().substring(0, 13), chosen.account(),
                    model, demand, now);
            Grant grant = new Grant(reservation.id(), now, demand,
                    chosen.applied().limits().maxConcurrent().isPresent() ? now.plus(hold) : now);
            WindowState current = chosen.state();
            List<Grant> grants = new ArrayList<>(current.grants());
            grants.add(grant);
            // The grant, and what the decision learned on the way (a cautious start, a step up), in one write.
            WindowState next = current.withGrants(grants, current.dayRequests() + demand.requests());
            if (write(chosen.account(), model, current.version(), next, now)) {
                if (!clock.instant().isAfter(now.plus(windows.guard()))) {
                    return new ReservationOutcome.Granted(reservation);
                }
                // The write took longer than the guard (a stalled store or process): a call made now could reach the
                // provider after this grant has left the ledger's window, one more than the limit in the provider's.
                // Give the grant back and reserve again, stamped with the time the call really goes out.
                withdraw(chosen.account(), model, grant);
                continue;
            }
            readThisCall.add(key(chosen.account(), model));
            backOff(round);
        }
        throw new IllegalStateException("quota ledger: lost " + MAX_CONFLICTS_PER_CALL + " races in a row for " + model);
    }

    /**
     * Decides on one account: with what it learned so far (a cautious start written down where nothing is known), and,
     * when a learned limit is what holds the demand back and may rise, with it one step higher. The raise is written
     * with the grant it lets through; a demand it does not let through yet waits for when it will.
     */
    private Decision decide(Account account, String model, WindowState state, Demand demand, Instant now) {
        Learning known = learning.started(account, model, state.learning(), now);
        AppliedLimits applied = learning.applied(account, model, known);
        QuotaWindows.Check check = windows.decide(applied, account, state, demand, now);
        if (!(check.headroom() instanceof Headroom.Fits)) {
            Optional<Learning> raised = learning.raised(account, model, known, check.binding(), check.spacedOnly(), now);
            if (raised.isPresent()) {
                AppliedLimits higher = learning.applied(account, model, raised.get());
                return new Decision(raised.get(), higher, windows.decide(higher, account, state, demand, now));
            }
        }
        return new Decision(known, applied, check);
    }

    private record Decision(Learning learning, AppliedLimits applied, QuotaWindows.Check check) {
    }

    /**
     * The call is over: it no longer counts as in flight, its tokens are what the provider says it spent (where a TPM
     * limit counts them), and the limits the provider stated are kept. No write when none of that changes anything.
     */
    @Override
    public void release(Reservation reservation, CallReport report) {
        Account account = reservation.account();
        String model = reservation.model();
        update(account, model, state -> {
            Instant now = clock.instant();
            Learning observed = learning.observed(state.learning(), report.stated(), now);
            boolean countsTokens = learning.applied(account, model, observed).limits().tpm().isPresent();
            List<Grant> grants = state.grants().stream()
                    .map(g -> g.id().equals(reservation.id()) ? settled(g, report, countsTokens) : g)
                    .toList();
            WindowState next = state.withGrants(grants, state.dayRequests());
            return learning.worthWriting(state.learning(), observed) || !grants.equals(state.grants())
                    ? next.withLearning(observed) : state;
        });
    }

    private static Grant settled(Grant grant, CallReport report, boolean countsTokens) {
        Demand spent = countsTokens ? report.tokensSpent().map(grant.demand()::withTokens).orElse(grant.demand()) : grant.demand();
        return new Grant(grant.id(), grant.at(), spent, grant.at());
    }

    @Override
    public Instant coolDown(Reservation reservation, RateLimit rateLimit) {
        Account account = reservation.account();
        Instant now = clock.instant();
        Instant until = rateLimit.perDay()
                ? QuotaWindows.nextProviderDay(now, account.dayResetZone())
                : now.plus(rateLimit.retryDelay().filter(d -> !d.isNegative()).orElse(DEFAULT_COOLDOWN));
        String reason = (rateLimit.perDay() ? "per-day quota exhausted: " : "429: ") + rateLimit.message();
        update(account, reservation.model(), state -> {
            Optional<Cooldown> longest = state.cooldown().filter(c -> c.until().isAfter(until));
            Learning learned = learning.after429(account, reservation.model(), state, reservation, rateLimit, clock.instant());
            return state.withCooldown(Optional.of(longest.orElse(new Cooldown(until, reason)))).withLearning(learned);
        });
        return until;
    }

    @Override
    public List<AccountUsage> usage() {
        Instant now = clock.instant();
        List<AccountUsage> all = new ArrayList<>();
        for (Account account : pool.accounts()) {
            account.models().keySet().stream().sorted().forEach(model -> {
                WindowState state = load(account, model, now);
                all.add(new AccountUsage(account.id(), account.provider(), model, account.limits(model).orElseThrow(),
                        learning.applied(account, model, state.learning()), windows.usage(state, now, account.dayResetZone()),
                        state.learning()));
            });
        }
        return all;
    }

    /** Takes a grant back out of the ledger (the call it was for is not made). */
    private void withdraw(Account account, String model, Grant grant) {
        update(account, model, state -> state.grants().stream().noneMatch(g -> g.id().equals(grant.id())) ? state
                : state.withGrants(state.grants().stream().filter(g -> !g.id().equals(grant.id())).toList(),
                        Math.max(0, state.dayRequests() - grant.demand().requests())));
    }

    private void update(Account account, String model, UnaryOperator<WindowState> change) {
        for (int round = 0; round < MAX_CONFLICTS_PER_CALL; round++) {
            Instant now = clock.instant();
            WindowState current = windows.current(lastSeen(account, model, now), now, account.dayResetZone());
            WindowState next = change.apply(current);
            if (next.equals(current)) {
                return; // nothing to change: no write
            }
            if (write(account, model, current.version(), next, now)) {
                return;
            }
            backOff(round);
        }
        throw new IllegalStateException("quota ledger: lost " + MAX_CONFLICTS_PER_CALL + " races in a row on " + account.id());
    }

    /**
     * A lost race means others are writing the same item right now: waiting a random few milliseconds (more after
     * each loss) spreads the retries out instead of having every loser collide again at once.
     */
    private void backOff(int round) {
        int ceiling = Math.min(2 << Math.min(round, 5), 64);
        try {
            Thread.sleep(random.nextInt(ceiling) + 1L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reserving quota", e);
        }
    }

    /**
     * The compare-and-set; either way this instance then knows the stored state: what it wrote, or what won the
     * race (from the conflict itself, or read when the store could not say).
     */
    private boolean write(Account account, String model, long expectedVersion, WindowState next, Instant now) {
        Replacement replacement = store.replace(account.id(), model, expectedVersion, next, expiry(account, next, now));
        if (replacement instanceof Replacement.Replaced replaced) {
            lastSeen.put(key(account, model), replaced.stored());
            return true;
        }
        conflicts.incrementAndGet();
        Optional<WindowState> current = ((Replacement.Conflict) replacement).current();
        if (current.isPresent()) {
            lastSeen.put(key(account, model), current.get());
        } else {
            read(account, model, now);
        }
        return false;
    }

    /** The state this instance saw last; never seen, it is taken to be empty (the first write says otherwise). */
    private WindowState lastSeen(Account account, String model, Instant now) {
        WindowState seen = lastSeen.get(key(account, model));
        return seen != null ? seen : WindowState.empty(QuotaWindows.providerDay(now, account.dayResetZone()));
    }

    /** Reads the stored state now and remembers it as the last seen. */
    private void read(Account account, String model, Instant now) {
        lastSeen.put(key(account, model), load(account, model, now));
    }

    private WindowState load(Account account, String model, Instant now) {
        return store.load(account.id(), model)
                .orElseGet(() -> WindowState.empty(QuotaWindows.providerDay(now, account.dayResetZone())));
    }

    private static String key(Account account, String model) {
        return account.id() + "#" + model;
    }

    /** Kept until its day count, its grants and its cooldown are all over, plus a day for GET /v1/quota. */
    private Instant expiry(Account account, WindowState state, Instant now) {
        Instant latest = QuotaWindows.nextProviderDay(now, account.dayResetZone());
        for (Grant g : state.grants()) {
            latest = later(latest, g.holdUntil());
        }
        if (state.cooldown().isPresent()) {
            latest = later(latest, state.cooldown().get().until());
        }
        return latest.plus(Duration.ofDays(1));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The smallest fraction left on any limited dimension after the demand: higher means more room. */
    private double spare(ModelLimits limits, WindowState state, Demand demand, Instant now, Account account) {
        QuotaWindows.Usage usage = windows.usage(state, now, account.dayResetZone());
        double spare = 1.0;
        spare = Math.min(spare, fraction(limits.rpm(), usage.requestsLastMinute() + demand.requests()));
        spare = Math.min(spare, fraction(limits.ipm(), usage.imagesLastMinute() + demand.images()));
        spare = Math.min(spare, fraction(limits.tpm(), usage.tokensLastMinute() + demand.tokens()));
        return Math.min(spare, fraction(limits.rpd(), usage.requestsToday() + (long) demand.requests()));
    }

    private static double fraction(Optional<Integer> limit, long used) {
        return limit.map(l -> (l - used) / (double) l).orElse(1.0);
    }

    private record Candidate(Account account, AppliedLimits applied, WindowState state, double spare) {
    }
}
