package dev.pacer.bench;

import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.AccountUsage;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaLearning;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.fake.StrictProviderServer;
import dev.pacer.providers.gemini.GeminiImageProvider;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quota utilisation under steady overload: five scenarios, each one run with three clients side by side against one
 * strict provider ({@link StrictProviderServer}, Gemini's answers, real HTTP through pacer's Gemini adapter). Each
 * client has two accounts of its own, {@code workers} workers and a backlog of jobs larger than the provider can serve
 * in the run (1.1 × both accounts' whole rpm):
 * <ul>
 *   <li><b>pacer, learning</b>: {@link PooledQuotaLedger} as the worker runs it (on the in-memory store): reserve, call,
 *       release with what the answer told, cool down and learn on a 429; with no headroom wait until the window the
 *       ledger names (what the delayed SQS re-send does).</li>
 *   <li><b>pacer, static</b>: the same ledger with learning off ({@link QuotaLearning#off}): the ledger before this
 *       work, declared limits and cooldowns only.</li>
 *   <li><b>naive</b>: round-robin over its accounts, no ledger; on 429 the same request again after an exponential
 *       backoff with full jitter (1 s doubling, capped at 60 s).</li>
 * </ul>
 * Scenarios, each account's provider limit {@code rpm} a minute: (a) the pool declares exactly that; (b) the same,
 * but the provider enforces it over 10 s sub-windows too; (c) another app spends a third of one account's rpm; (d) the
 * pool declares nothing (the static ledger gets the generous limits pacer gave accounts it knew no limits of); (e) the
 * pool declares twice the provider's limits. Reported: images per minute ÷ what the provider could have served,
 * 429s per account in the measured run; then the backlog is drained, so every job must SUCCEED.
 *
 * <pre>java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.pacer.bench.QuotaBench \
 *     [scenarios runSeconds minuteSeconds rpm latencyMs workers guardMs]</pre>
 * Defaults: {@code abcde 300 60 12 1300 8 1000} (1300 ms: the seed's 13 s for 1K × 0.1). A shorter
 * {@code minuteSeconds} scales the provider's and the ledger's minute together (a quick look, not the result).
 */
public final class QuotaBench {

    /** The catalog's default model: the strict provider counts any model alike. */
    static final String MODEL = ModelCatalogs.bundled().defaultModel().id();

    /** What one client made of one scenario. */
    record Result(String scenario, String client, int images, double servablePerMinute, double minutes, List<Integer> tooManyPerAccount,
            int jobs, int succeeded, Duration drained, String learned, int othersRefused) {

        double ofServable() {
            return images / (servablePerMinute * minutes);
        }

        int worstAccount() {
            return tooManyPerAccount.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }

    enum Client {
        LEARNING("pacer, learning"), STATIC("pacer, static (before)"), NAIVE("naive retry + backoff");

        final String label;

        Client(String label) {
            this.label = label;
        }
    }

    record Settings(Duration run, Duration minute, int rpm, Duration latency, int workers, Duration guard) {
        /** How long the backlog may take to drain after the measured run: 60 % of it (3 minutes after 5). */
        Duration drain() {
            return run.multipliedBy(3).dividedBy(5);
        }

        /** Real seconds of a minute scaled like the provider's and the ledger's. */
        Duration scaled(Duration real) {
            return Duration.ofNanos((long) (real.toNanos() * (minute.toNanos() / (double) Duration.ofSeconds(60).toNanos())));
        }
    }

    public static void main(String[] args) throws Exception {
        String scenarios = args.length > 0 ? args[0] : "abcde";
        Settings settings = new Settings(Duration.ofSeconds(arg(args, 1, 300)), Duration.ofSeconds(arg(args, 2, 60)), arg(args, 3, 12),
                Duration.ofMillis(arg(args, 4, 1300)), arg(args, 5, 8), Duration.ofMillis(arg(args, 6, 1000)));
        System.out.printf("quota bench: %s, %d rpm per account, 2 accounts per client, latency %d ms, %d workers per client, "
                        + "minute %d s, ledger guard %d ms, started %s%n",
                settings.run(), settings.rpm(), settings.latency().toMillis(), settings.workers(), settings.minute().toSeconds(),
                settings.guard().toMillis(), Instant.now());
        List<Result> results = new ArrayList<>();
        for (char scenario : scenarios.toCharArray()) {
            results.addAll(run(scenario, settings));
            print(results.subList(results.size() - 3, results.size()));
        }
        System.out.println();
        System.out.println("| scenario | client | images/min | servable/min | of servable | 429s per account | jobs SUCCEEDED |");
        System.out.println("|---|---|---:|---:|---:|---:|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f %% | %s | %d/%d |%n", describe(r.scenario().charAt(0)), r.client(),
                    r.images() / r.minutes(), r.servablePerMinute(), 100 * r.ofServable(),
                    r.tooManyPerAccount().stream().map(String::valueOf).reduce((x, y) -> x + " + " + y).orElse(""), r.succeeded(), r.jobs());
        }
        System.out.println("finished " + Instant.now());
        System.exit(0);
    }

    static String describe(char scenario) {
        return switch (scenario) {
            case 'a' -> "(a) declared = enforced";
            case 'b' -> "(b) 10 s sub-windows";
            case 'c' -> "(c) another app takes 1/3";
            case 'd' -> "(d) nothing declared";
            case 'e' -> "(e) provider at half";
            default -> throw new IllegalArgumentException("scenarios are a to e: " + scenario);
        };
    }

    /** One scenario, the three clients side by side against one provider. */
    static List<Result> run(char scenario, Settings settings) throws Exception {
        describe(scenario);
        int rpm = settings.rpm();
        StrictProviderServer.Limit limit = scenario == 'b'
                ? StrictProviderServer.Limit.overSubWindows(rpm, Duration.ofSeconds(10))
                : StrictProviderServer.Limit.perMinute(rpm);
        int othersPerMinute = scenario == 'c' ? rpm / 3 : 0;
        double servable = 2.0 * rpm - othersPerMinute;
        double minutes = settings.run().toNanos() / (double) settings.minute().toNanos();
        // More than any client can get in the run, even one that takes the other app's share in (c): none runs dry.
        int jobs = (int) Math.ceil(2.0 * rpm * minutes * 1.1);
        try (StrictProviderServer provider = StrictProviderServer.start(key -> limit, settings.minute(), settings.latency())) {
            Instant start = Instant.now();
            Instant end = start.plus(settings.run());
            List<Side> sides = new ArrayList<>();
            for (Client client : Client.values()) {
                String prefix = scenario + "-" + client.name().toLowerCase(Locale.ROOT);
                sides.add(new Side(client, List.of(prefix + "-a", prefix + "-b"), jobs));
            }
            ExecutorService threads = Executors.newCachedThreadPool();
            GeminiImageProvider gemini = new GeminiImageProvider(ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(60),
                    Duration.ofSeconds(60)), ModelCatalogs.bundled());
            for (Side side : sides) {
                PooledQuotaLedger ledger = side.client == Client.NAIVE ? null : ledger(side, scenario, settings, provider.baseUrl());
                side.ledger = ledger;
                for (int w = 0; w < settings.workers(); w++) {
                    int offset = w;
                    threads.submit(() -> side.client == Client.NAIVE
                            ? naiveWorker(gemini, provider.baseUrl(), side, settings, end, offset)
                            : ledgerWorker(gemini, ledger, side, end));
                }
                if (othersPerMinute > 0) {
                    threads.submit(() -> anotherApp(provider, side.accounts.get(0), settings.minute().dividedBy(othersPerMinute),
                            end.plus(settings.drain()), side));
                }
            }
            sleepUntil(end);
            List<Result> results = new ArrayList<>();
            Map<Side, List<Integer>> tooMany = new LinkedHashMap<>();
            Map<Side, Integer> images = new LinkedHashMap<>();
            for (Side side : sides) {
                images.put(side, side.images.get());
                tooMany.put(side, side.accounts.stream().map(provider::tooMany).toList());
            }
            threads.shutdown();
            threads.awaitTermination(settings.drain().toMillis(), TimeUnit.MILLISECONDS);
            threads.shutdownNow();
            for (Side side : sides) {
                Duration drained = Duration.between(end, side.finishedAt == null ? Instant.now() : side.finishedAt);
                results.add(new Result(String.valueOf(scenario), side.client.label, images.get(side), servable, minutes, tooMany.get(side),
                        jobs, side.succeeded.get(), drained, learned(side), side.othersRefused.get()));
            }
            return results;
        }
    }

    private static PooledQuotaLedger ledger(Side side, char scenario, Settings settings, URI base) {
        int rpm = settings.rpm();
        ModelLimits declared = switch (scenario) {
            // the static ledger could not read a pool without limits: it gets what pacer gave accounts it knew no limits of
            case 'd' -> side.client == Client.LEARNING ? ModelLimits.NONE : ModelLimits.of(10_000, 10_000, 10_000_000);
            case 'e' -> ModelLimits.of(2 * rpm, 2 * rpm, 1_000_000);
            default -> ModelLimits.of(rpm, rpm, 1_000_000);
        };
        List<Account> accounts = new ArrayList<>();
        for (String id : side.accounts) {
            accounts.add(new Account(id, "gemini", base, "none", Map.of(MODEL, declared), 0.0, ZoneId.of("America/Los_Angeles"),
                    Optional.empty()));
        }
        QuotaWindows windows = new QuotaWindows(settings.minute(), settings.guard());
        QuotaLearning learning = side.client == Client.LEARNING ? QuotaLearning.standard(windows) : QuotaLearning.off(windows);
        return new PooledQuotaLedger(new AccountPool(accounts), new InMemoryQuotaStateStore(), windows, learning, Clock.systemUTC(),
                new Random());
    }

    /**
     * A worker of pacer's: take a job, reserve, call, release with what the answer told, and on a 429 cool down (and
     * learn); with no headroom, wait until the window the ledger names opens, as the queue's delayed re-send does.
     */
    private static Void ledgerWorker(GeminiImageProvider gemini, PooledQuotaLedger ledger, Side side, Instant end) throws Exception {
        while (side.take()) {
            GenerationRequest request = request(side);
            while (true) {
                ReservationOutcome outcome = ledger.reserve(MODEL, Demand.of(request, ModelCatalogs.bundled().require("model", MODEL)), Duration.ofMinutes(5));
                if (outcome instanceof ReservationOutcome.Granted granted) {
                    Reservation reservation = granted.reservation();
                    ProviderOutcome answer = gemini.generate(request, account(reservation.account()));
                    ledger.release(reservation, answer.quotaReport());
                    if (answer.made().isPresent()) {
                        side.done(end);
                        break;
                    }
                    answer.missing().flatMap(ProviderOutcome.Failure::rateLimit).ifPresent(limit -> ledger.coolDown(reservation, limit));
                } else if (outcome instanceof ReservationOutcome.NoHeadroom wait) {
                    sleepUntil(wait.retryAt());
                } else {
                    throw new IllegalStateException(outcome.toString());
                }
            }
        }
        return null;
    }

    /** Round-robin over the accounts; on 429 the same request again after an exponential backoff with full jitter. */
    private static Void naiveWorker(GeminiImageProvider gemini, URI base, Side side, Settings settings, Instant end, int offset)
            throws Exception {
        int next = offset;
        while (side.take()) {
            GenerationRequest request = request(side);
            String account = side.accounts.get(next++ % side.accounts.size());
            for (int attempt = 0; ; attempt++) {
                if (gemini.generate(request, new ProviderAccount(account, "gemini", base, account)).made().isPresent()) {
                    side.done(end);
                    break;
                }
                long ceilingMs = Math.min(60_000, 1_000L << Math.min(attempt, 6));
                Thread.sleep(settings.scaled(Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceilingMs + 1))).toMillis());
            }
        }
        return null;
    }

    /** Another app on the same project: one request every {@code every}, evenly, whatever the answer. */
    private static Void anotherApp(StrictProviderServer provider, String key, Duration every, Instant until, Side side) throws Exception {
        Instant next = Instant.now();
        while (Instant.now().isBefore(until) && side.finishedAt == null) {
            if (!provider.spendAsAnotherApp(key)) {
                side.othersRefused.incrementAndGet();
            }
            next = next.plus(every);
            sleepUntil(next);
        }
        return null;
    }

    private static GenerationRequest request(Side side) {
        return new GenerationRequest("a lighthouse, take " + side.started.get(), MODEL, Resolution.ONE_K, "1:1", 1, Map.of());
    }

    /** The key is the account's id: the strict provider counts per key, as per project. */
    private static ProviderAccount account(Account account) {
        return new ProviderAccount(account.id(), account.provider(), account.baseUrl(), account.id());
    }

    private static String learned(Side side) {
        if (side.ledger == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (AccountUsage usage : side.ledger.usage()) {
            text.append(usage.account()).append(": applied rpm ").append(usage.effectiveLimits().rpm().map(String::valueOf).orElse("-"))
                    .append(usage.applied().spread() ? " spread" : "")
                    .append(usage.learning().rate(dev.pacer.core.quota.Dimension.RPM).map(r -> " (" + r.why() + ")").orElse(""))
                    .append("; ");
        }
        return text.toString();
    }

    private static void print(List<Result> results) {
        System.out.println();
        System.out.println(describe(results.get(0).scenario().charAt(0)) + ", " + Instant.now());
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "  %-24s %4d images, %5.1f/min of %.1f servable = %5.1f %%, 429s per account %s, "
                            + "%d/%d jobs SUCCEEDED (drained in %d s)%s %s%n",
                    r.client(), r.images(), r.images() / r.minutes(), r.servablePerMinute(), 100 * r.ofServable(), r.tooManyPerAccount(),
                    r.succeeded(), r.jobs(), r.drained().toSeconds(),
                    r.scenario().equals("c") ? ", the other app refused " + r.othersRefused() + " times" : "", r.learned());
        }
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    /** One client's accounts, backlog and counts. */
    static final class Side {
        final Client client;
        final List<String> accounts;
        final int jobs;
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger images = new AtomicInteger();
        final AtomicInteger othersRefused = new AtomicInteger();
        volatile PooledQuotaLedger ledger;
        volatile Instant finishedAt;

        Side(Client client, List<String> accounts, int jobs) {
            this.client = client;
            this.accounts = accounts;
            this.jobs = jobs;
        }

        /** Takes the next job of the backlog; false when none is left. */
        boolean take() {
            return started.incrementAndGet() <= jobs;
        }

        /** A job SUCCEEDED: counted as an image if it came within the measured run. */
        void done(Instant end) {
            if (Instant.now().isBefore(end)) {
                images.incrementAndGet();
            }
            if (succeeded.incrementAndGet() == jobs) {
                finishedAt = Instant.now();
            }
        }
    }
}
