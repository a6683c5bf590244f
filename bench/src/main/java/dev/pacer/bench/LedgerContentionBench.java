package dev.pacer.bench;

import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.TemplateProvisioner;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * N threads, each standing for a worker on its own Lambda instance, reserve one image at a time through
 * {@link PooledQuotaLedger} on {@link DynamoDbQuotaStateStore} in moto, as fast as they can, for a fixed wall-clock
 * time, on the real clock. Two passes over 1 and 10 accounts × {@code threads}:
 * <ul>
 *   <li><b>throughput</b>: limits far above what moto can grant, so nothing but the store limits the rate: grants per
 *       second and conditional-check failures (lost races, each one a retry) per grant;</li>
 *   <li><b>limits</b>: limits that bind (refusals happen) and the worker's 1 s window guard; the busiest rolling 60 s
 *       of one account, counted both at the grants' stamps and at the moment each reserve call returned (when the
 *       provider call would go out), against the limit.</li>
 * </ul>
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.pacer.bench.LedgerContentionBench
 * [throughputSeconds limitsSeconds poolRpm threads...]}.
 */
public final class LedgerContentionBench {

    /** The model every account serves: the catalog's default; which one does not change the ledger's work. */
    static final String MODEL = ModelCatalogs.bundled().defaultModel().id();
    static final int[] ACCOUNT_COUNTS = {1, 10};
    static final Duration WORKER_WINDOW_GUARD = Duration.ofSeconds(1);
    private static final int UNREACHABLE_RPM = 1_000_000;

    /** One configuration's result. */
    record Result(int accounts, int threads, int calls, int granted, int refused, long conflicts, Duration wall,
                  int busiestByStamp, int busiestByCall, int limitPerAccount) {

        double grantsPerSecond() {
            return granted / (wall.toMillis() / 1000.0);
        }

        double conflictsPerGrant() {
            return granted == 0 ? 0 : (double) conflicts / granted;
        }
    }

    /** A granted reservation (one request) and the time its reserve call returned, when the provider call would go out. */
    record Call(Reservation reservation, Instant returnedAt) {
    }

    public static void main(String[] args) throws Exception {
        Duration throughputRun = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 20);
        Duration limitsRun = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 90);
        int poolRpm = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int[] threads = args.length > 3
                ? java.util.Arrays.stream(args, 3, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 4, 16, 64};
        try (MotoServer moto = MotoServer.start(); AwsClients clients = AwsClients.forEndpoint(moto.endpoint())) {
            DynamoDbQuotaStateStore store = new DynamoDbQuotaStateStore(clients.dynamoDb(),
                    TemplateProvisioner.provision(moto.endpoint()).physicalId("QuotaTable"));
            int run = 0;
            System.out.printf(Locale.ROOT, "%nthroughput: %d s per configuration, limits out of reach, no guard%n%n", throughputRun.toSeconds());
            System.out.println("| accounts | threads | granted | wall s | grants/s | CAS failures | failures/grant |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int accounts : ACCOUNT_COUNTS) {
                for (int n : threads) {
                    Result r = run(store, "t" + run++, accounts, n, UNREACHABLE_RPM, Duration.ZERO, throughputRun);
                    System.out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %.1f | %d | %.2f |%n", r.accounts(), r.threads(), r.granted(),
                            r.wall().toMillis() / 1000.0, r.grantsPerSecond(), r.conflicts(), r.conflictsPerGrant());
                }
            }
            System.out.printf(Locale.ROOT, "%nlimits: %d s per configuration, a pool of %d RPM split over its accounts, guard %s%n%n",
                    limitsRun.toSeconds(), poolRpm, WORKER_WINDOW_GUARD);
            System.out.println("| accounts | RPM each | threads | reserve calls | granted | refused | CAS failures "
                    + "| busiest 60 s at grant stamps | busiest 60 s at call returns | overshoot |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (int accounts : ACCOUNT_COUNTS) {
                for (int n : threads) {
                    Result r = run(store, "l" + run++, accounts, n, poolRpm / accounts, WORKER_WINDOW_GUARD, limitsRun);
                    System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", r.accounts(),
                            r.limitPerAccount(), r.threads(), r.calls(), r.granted(), r.refused(), r.conflicts(),
                            r.busiestByStamp(), r.busiestByCall(),
                            Math.max(0, Math.max(r.busiestByStamp(), r.busiestByCall()) - r.limitPerAccount()));
                }
            }
        }
    }

    /** One configuration on fresh accounts (their items start empty), for {@code duration} of wall-clock time. */
    static Result run(DynamoDbQuotaStateStore store, String runId, int accounts, int threads, int rpm, Duration guard,
                      Duration duration) throws Exception {
        List<Account> pool = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            pool.add(new Account(runId + "-account-" + i, "gemini", URI.create("http://localhost"), "none",
                    Map.of(MODEL, ModelLimits.of(rpm, rpm, UNREACHABLE_RPM)), 0.0, Account.GEMINI_DAY_ZONE, Optional.empty()));
        }
        Clock clock = Clock.systemUTC();
        PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(pool), store, new QuotaWindows(guard), clock, new Random());

        List<Call> grants = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        long began = System.nanoTime();
        long deadline = began + duration.toNanos();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(executor.submit(() -> {
                while (System.nanoTime() < deadline) {
                    calls.incrementAndGet();
                    ReservationOutcome outcome = ledger.reserve(MODEL, new Demand(1, 1, 0), Duration.ofMinutes(1));
                    if (outcome instanceof ReservationOutcome.Granted granted) {
                        grants.add(new Call(granted.reservation(), clock.instant()));
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

        Map<String, List<Call>> byAccount = grants.stream().collect(Collectors.groupingBy(c -> c.reservation().account().id()));
        int byStamp = byAccount.values().stream()
                .mapToInt(list -> busiestRollingMinute(list.stream().map(c -> c.reservation().grantedAt()).toList())).max().orElse(0);
        int byCall = byAccount.values().stream()
                .mapToInt(list -> busiestRollingMinute(list.stream().map(Call::returnedAt).toList())).max().orElse(0);
        return new Result(accounts, threads, calls.get(), grants.size(), refused.get(), ledger.conflicts(), wall, byStamp, byCall, rpm);
    }

    /** The most one-request grants in any 60 s ending at one of them (the busiest windows end at one), ties included. */
    static int busiestRollingMinute(List<Instant> times) {
        List<Instant> sorted = times.stream().sorted().toList();
        int busiest = 0;
        int first = 0;
        for (int last = 0; last < sorted.size(); last++) {
            Instant end = sorted.get(last);
            while (!sorted.get(first).isAfter(end.minus(QuotaWindows.MINUTE))) {
                first++;
            }
            boolean lastOfItsInstant = last + 1 == sorted.size() || !sorted.get(last + 1).equals(end);
            if (lastOfItsInstant) {
                busiest = Math.max(busiest, last - first + 1);
            }
        }
        return busiest;
    }
}
