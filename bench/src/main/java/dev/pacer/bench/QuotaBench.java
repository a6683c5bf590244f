package dev.pacer.bench;

import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.ReservationOutcome;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quota utilisation under steady overload, pacer's ledger and a naive client side by side in the same run,
 * against one strict provider (rolling 60 s windows, real time, latency scaled down). Each side has two accounts
 * of its own with the same RPM, and more workers than the quota can feed. Reports images per minute against the
 * ceiling (2 × rpm) and the 429s each side caused. See bench/README.md.
 *
 * <pre>java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.pacer.bench.QuotaBench [minutes rpm latencyMs workers guardMs]</pre>
 * Defaults: 5 minutes, 10 RPM, 1300 ms (1K's 13 s × 0.1), 8 workers per side, 1000 ms guard.
 */
public final class QuotaBench {

    /** The catalog's default model: the strict provider counts any model alike. */
    private static final String MODEL = ModelCatalogs.bundled().defaultModel().id();
    private static final Pattern RETRY_DELAY = Pattern.compile("\"retryDelay\"\\s*:\\s*\"(\\d+)s\"");

    public static void main(String[] args) throws Exception {
        int minutes = arg(args, 0, 5);
        int rpm = arg(args, 1, 10);
        int latencyMs = arg(args, 2, 1300); // the seed's 13 s for 1K, × 0.1
        int workers = arg(args, 3, 8);
        int guardMs = arg(args, 4, 1000); // the worker's default PACER_QUOTA_WINDOW_GUARD
        Duration run = Duration.ofMinutes(minutes);
        try (StrictProvider provider = new StrictProvider(rpm, Duration.ofMillis(latencyMs))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + provider.port());
            Instant start = Instant.now();
            Instant end = start.plus(run);
            Side ledgerSide = new Side("pacer ledger", List.of("ledger-a", "ledger-b"));
            Side naiveSide = new Side("naive (429 → exp. backoff + jitter)", List.of("naive-a", "naive-b"));
            PooledQuotaLedger ledger = ledger(ledgerSide.accounts, rpm, base, Duration.ofMillis(guardMs));

            ExecutorService pool = Executors.newFixedThreadPool(2 * workers);
            for (int w = 0; w < workers; w++) {
                pool.submit(() -> ledgerWorker(ledger, http, base, ledgerSide, end));
                int offset = w;
                pool.submit(() -> naiveWorker(http, base, naiveSide, end, offset));
            }
            pool.shutdown();
            pool.awaitTermination(minutes + 5L, TimeUnit.MINUTES);

            int ceiling = 2 * rpm * minutes;
            System.out.printf("%nstrict provider: %d RPM per account, 2 accounts per side, latency %d ms, %d workers per side, %d min, ledger guard %d ms%n",
                    rpm, latencyMs, workers, minutes, guardMs);
            System.out.println("| client | images | images/min | ceiling/min | of ceiling | 429s |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            for (Side side : List.of(ledgerSide, naiveSide)) {
                int images = side.images.get();
                int tooMany = side.accounts.stream().mapToInt(a -> provider.tooMany.getOrDefault(a, new AtomicInteger()).get()).sum();
                System.out.printf("| %s | %d | %.2f | %d | %.1f %% | %d |%n", side.name, images, images / (double) minutes,
                        2 * rpm, 100.0 * images / ceiling, tooMany);
            }
        }
        System.exit(0);
    }

    private static PooledQuotaLedger ledger(List<String> ids, int rpm, URI base, Duration guard) {
        List<Account> accounts = new ArrayList<>();
        for (String id : ids) {
            accounts.add(new Account(id, "gemini", base, "none", Map.of(MODEL, ModelLimits.of(rpm, rpm, 1_000_000)), 0.0,
                    ZoneId.of("America/Los_Angeles"), Optional.empty()));
        }
        return new PooledQuotaLedger(new AccountPool(accounts), new InMemoryQuotaStateStore(), new QuotaWindows(guard),
                Clock.systemUTC(), new Random());
    }

    /** Reserve, call, and with no headroom wait until the window opens (what the queue's delayed re-send does). */
    private static Void ledgerWorker(PooledQuotaLedger ledger, HttpClient http, URI base, Side side, Instant end) throws Exception {
        while (Instant.now().isBefore(end)) {
            ReservationOutcome outcome = ledger.reserve(MODEL, new Demand(1, 1, 0), Duration.ofMinutes(5));
            if (outcome instanceof ReservationOutcome.Granted granted) {
                HttpResponse<String> response = call(http, base, granted.reservation().account().id());
                if (response.statusCode() == 200) {
                    side.images.incrementAndGet();
                } else if (response.statusCode() == 429) {
                    Matcher delay = RETRY_DELAY.matcher(response.body());
                    ledger.coolDown(granted.reservation(), new RateLimit(
                            delay.find() ? Optional.of(Duration.ofSeconds(Long.parseLong(delay.group(1)))) : Optional.empty(), false, "429"));
                }
            } else if (outcome instanceof ReservationOutcome.NoHeadroom wait) {
                sleepUntil(wait.retryAt().isBefore(end) ? wait.retryAt() : end);
            } else {
                throw new IllegalStateException(outcome.toString());
            }
        }
        return null;
    }

    /** Round-robin over the accounts; on 429 retry the same request after an exponential backoff with full jitter. */
    private static Void naiveWorker(HttpClient http, URI base, Side side, Instant end, int offset) throws Exception {
        int next = offset;
        while (Instant.now().isBefore(end)) {
            String account = side.accounts.get(next++ % side.accounts.size());
            for (int attempt = 0; Instant.now().isBefore(end); attempt++) {
                if (call(http, base, account).statusCode() == 200) {
                    side.images.incrementAndGet();
                    break;
                }
                long ceilingMs = Math.min(60_000, 1_000L << Math.min(attempt, 6));
                Thread.sleep(ThreadLocalRandom.current().nextLong(ceilingMs + 1));
            }
        }
        return null;
    }

    private static HttpResponse<String> call(HttpClient http, URI base, String key) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("/v1beta/models/" + MODEL + ":generateContent"))
                .header("x-goog-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"parts\":[{\"text\":\"a lighthouse\"}]}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
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

    private static final class Side {
        final String name;
        final List<String> accounts;
        final AtomicInteger images = new AtomicInteger();

        Side(String name, List<String> accounts) {
            this.name = name;
            this.accounts = accounts;
        }
    }
}
