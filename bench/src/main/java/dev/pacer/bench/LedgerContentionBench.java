package dev.pacer.bench;

import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;
import dev.pacer.localstack.AwsClients;
import dev.pacer.localstack.MotoServer;
import dev.pacer.localstack.TemplateProvisioner;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * N threads, each standing for a worker on its own Lambda instance, reserve one image at a time through
 * {@link PooledQuotaLedger} on {@link DynamoDbQuotaStateStore} in moto, as fast as they can. The ledger's clock moves
 * a fixed step per reserve call, so the offered load is {@code overload} × the pool's RPM in ledger time however fast
 * moto answers: limits bind, refusals happen, and every rolling 60 s of ledger time can be checked for overshoot.
 * Wall-clock grants per second and conditional-check failures (lost races, each a retry) per grant measure the store.
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.pacer.bench.LedgerContentionBench
 * [ledgerMinutes poolRpm overload threads... ]}. The pool's RPM is split evenly over its accounts, so every
 * configuration makes the same number of reserve calls.
 */
public final class LedgerContentionBench {

    static final String MODEL = "gemini-3.1-flash-image-preview";
    static final int[] ACCOUNT_COUNTS = {1, 10};

    /** One configuration's result. */
    record Result(int accounts, int threads, int calls, int granted, int refused, long conflicts, Duration wall,
                  int busiestMinute, int limitPerAccount) {

        double grantsPerSecond() {
            return granted / (wall.toMillis() / 1000.0);
        }

        double conflictsPerGrant() {
            return granted == 0 ? 0 : (double) conflicts / granted;
        }

        int overshoot() {
            return Math.max(0, busiestMinute - limitPerAccount);
        }
    }

    public static void main(String[] args) throws Exception {
        double ledgerMinutes = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int poolRpm = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        double overload = args.length > 2 ? Double.parseDouble(args[2]) : 2;
        int[] threads = args.length > 3
                ? java.util.Arrays.stream(args, 3, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 4, 16, 64};
        try (MotoServer moto = MotoServer.start(); AwsClients clients = AwsClients.forEndpoint(moto.endpoint())) {
            String table = TemplateProvisioner.provision(moto.endpoint()).physicalId("QuotaTable");
            System.out.printf(Locale.ROOT, "%.1f ledger minutes per run, pool of %d RPM, offered %.1f x that%n%n",
                    ledgerMinutes, poolRpm, overload);
            System.out.println("| accounts | threads | reserve calls | granted | refused (no headroom) | wall s | grants/s "
                    + "| CAS failures | failures/grant | busiest rolling 60 s (one account) | overshoot |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            int run = 0;
            for (int accounts : ACCOUNT_COUNTS) {
                for (int n : threads) {
                    Result r = run(new DynamoDbQuotaStateStore(clients.dynamoDb(), table), "run" + (run++), accounts, n,
                            poolRpm / accounts, ledgerMinutes, overload);
                    System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %.1f | %.1f | %d | %.2f | %d of %d | %d |%n",
                            r.accounts(), r.threads(), r.calls(), r.granted(), r.refused(), r.wall().toMillis() / 1000.0,
                            r.grantsPerSecond(), r.conflicts(), r.conflictsPerGrant(), r.busiestMinute(), r.limitPerAccount(),
                            r.overshoot());
                }
            }
        }
    }

    /** One configuration on fresh accounts (their items start empty). */
    static Result run(DynamoDbQuotaStateStore store, String runId, int accounts, int threads, int rpm, double ledgerMinutes,
                      double overload) throws Exception {
        List<Account> pool = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            pool.add(new Account(runId + "-account-" + i, "gemini", URI.create("http://localhost"), "none",
                    Map.of(MODEL, ModelLimits.of(rpm, rpm, 1_000_000)), 0.0, Account.GEMINI_DAY_ZONE, Optional.empty()));
        }
        long stepMicros = Math.round(60_000_000.0 / (overload * accounts * rpm));
        int calls = (int) Math.round(ledgerMinutes * overload * accounts * rpm);
        LedgerTime clock = new LedgerTime(Instant.parse("2026-06-01T17:00:00Z"));
        PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(pool), store, new QuotaWindows(Duration.ZERO), clock,
                new Random());

        List<Reservation> grants = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        long began = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(executor.submit(() -> {
                while (asked.incrementAndGet() <= calls) {
                    clock.advanceMicros(stepMicros);
                    ReservationOutcome outcome = ledger.reserve(MODEL, new Demand(1, 1, 0), Duration.ofMinutes(1));
                    if (outcome instanceof ReservationOutcome.Granted granted) {
                        grants.add(granted.reservation());
                    } else {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - began);
        executor.shutdown();

        int busiest = grants.stream().collect(Collectors.groupingBy(r -> r.account().id())).values().stream()
                .mapToInt(LedgerContentionBench::busiestRollingMinute).max().orElse(0);
        return new Result(accounts, threads, calls, grants.size(), refused.get(), ledger.conflicts(), wall, busiest, rpm);
    }

    /** The most requests granted in any 60 s ending at a grant (the busiest windows end at one), ties included. */
    static int busiestRollingMinute(List<Reservation> granted) {
        List<Reservation> sorted = granted.stream().sorted(Comparator.comparing(Reservation::grantedAt)).toList();
        int busiest = 0;
        int sum = 0;
        int first = 0;
        for (int last = 0; last < sorted.size(); last++) {
            Instant end = sorted.get(last).grantedAt();
            sum += sorted.get(last).demand().requests();
            while (!sorted.get(first).grantedAt().isAfter(end.minus(QuotaWindows.MINUTE))) {
                sum -= sorted.get(first++).demand().requests();
            }
            boolean lastOfItsInstant = last + 1 == sorted.size() || !sorted.get(last + 1).grantedAt().equals(end);
            if (lastOfItsInstant) {
                busiest = Math.max(busiest, sum);
            }
        }
        return busiest;
    }

    /** The ledger's time: moves only as reserve calls are made, by any thread. */
    static final class LedgerTime extends Clock {
        private final AtomicLong micros;

        LedgerTime(Instant start) {
            this.micros = new AtomicLong(start.toEpochMilli() * 1000);
        }

        void advanceMicros(long by) {
            micros.addAndGet(by);
        }

        @Override
        public Instant instant() {
            long now = micros.get();
            return Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1000);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
