package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.ReservationOutcome;
import dev.pacer.core.quota.Demand;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessGenerationQuotaTest {

    private static final String MODEL = "gemini-3.1-flash-image";
    private static final Instant NOW = Instant.parse("2026-06-01T17:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    private final InMemoryJobs jobs = new InMemoryJobs();
    private final RecordedMetrics metrics = new RecordedMetrics();
    private final List<String> calledAccounts = new ArrayList<>();

    @Test
    void aPerDay429CoolsTheAccountDownForEveryoneAndTheJobWaitsInsteadOfFailing() {
        PooledQuotaLedger ledger = ledger(account("a"));
        ProcessGeneration process = process(ledger, rateLimitedOn("a", new RateLimit(Optional.of(Duration.ofSeconds(20)), true, "PerDay")));
        JobId id = job(1);

        ProcessingResult result = process.process(id);

        assertInstanceOf(ProcessingResult.WaitForQuota.class, result);
        assertEquals(JobStatus.WAITING_FOR_QUOTA, jobs.find(id).orElseThrow().status());
        assertEquals(0, jobs.find(id).orElseThrow().attempts(), "a 429 is not a failed attempt");
        assertEquals(List.of("first call after PT0S", "called RATE_LIMITED costing 0", "waiting for quota"), metrics.events());
        ReservationOutcome next = ledger.reserve(MODEL, new Demand(1, 1, 0), Duration.ofMinutes(1));
        assertEquals(Instant.parse("2026-06-02T07:00:00Z"), assertInstanceOf(ReservationOutcome.NoHeadroom.class, next).retryAt(),
                "nobody gets account a before its provider day turns, whatever the short retryDelay said");
    }

    @Test
    void afterA429OnOneAccountTheNextDeliveryRunsOnAnother() {
        PooledQuotaLedger ledger = ledger(account("a"), account("b"));
        ProcessGeneration process = process(ledger, rateLimitedOn("a", new RateLimit(Optional.of(Duration.ofSeconds(30)), false, "PerMinute")));
        JobId id = job(1);

        ProcessingResult first = process.process(id);
        ProcessingResult second = process.process(id);

        if (calledAccounts.get(0).equals("a")) {
            assertInstanceOf(ProcessingResult.WaitForQuota.class, first);
            assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), second);
            assertEquals(List.of("a", "b"), calledAccounts);
        } else {
            assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), first);
        }
        assertEquals(JobStatus.SUCCEEDED, jobs.find(id).orElseThrow().status());
    }

    @Test
    void withNoHeadroomTheJobWaitsUntilTheWindowOpensWithoutCallingTheProvider() {
        PooledQuotaLedger ledger = ledger(new Account("a", "gemini", URI.create("http://x"), "none",
                Map.of(MODEL, ModelLimits.of(1, 1, 100)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty()));
        ProcessGeneration process = process(ledger, rateLimitedOn("nobody", null));

        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process.process(job(1)));
        JobId second = job(1);
        ProcessingResult waited = process.process(second);

        assertEquals(NOW.plusSeconds(61), assertInstanceOf(ProcessingResult.WaitForQuota.class, waited).until(), "60 s + 1 s guard");
        assertEquals(1, calledAccounts.size());
        assertEquals(JobStatus.WAITING_FOR_QUOTA, jobs.find(second).orElseThrow().status());
    }

    @Test
    void aJobLargerThanAnyAccountsLimitFailsWithTheReason() {
        PooledQuotaLedger ledger = ledger(new Account("a", "gemini", URI.create("http://x"), "none",
                Map.of(MODEL, ModelLimits.of(2, 2, 100)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty()));
        JobId id = job(3);

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process(ledger, rateLimitedOn("nobody", null)).process(id));
        JobError error = jobs.find(id).orElseThrow().error().orElseThrow();
        assertEquals("quota_unservable", error.type());
        assertEquals(List.of("failed quota_unservable"), metrics.events(), "no call was made");
        assertTrue(error.message().contains("rpm 2"), error.message());
    }

    private ProcessGeneration process(PooledQuotaLedger ledger, ImageProvider provider) {
        ImageStore images = new DiscardedImages();
        return new ProcessGeneration(jobs, ledger, provider, images, metrics, new RecordedNotices(),
                new ProcessGeneration.Settings(TestCatalog.standard(), new RetryPolicy(3, Duration.ofMinutes(13)),
                        TestCatalog.prices(), CLOCK));
    }

    /** Generates on every account but {@code limited}, which answers with a 429 that stands for the given rate limit. */
    private ImageProvider rateLimitedOn(String limited, RateLimit rateLimit) {
        return (request, account) -> {
            calledAccounts.add(account.id());
            return account.id().equals(limited)
                    ? new ProviderOutcome.RateLimited("rate_limited", "429", rateLimit.retryDelay(), rateLimit.perDay(), Optional.empty())
                    : new ProviderOutcome.Generated(List.of(new ProviderOutcome.GeneratedImage(PNG, "image/png")));
        };
    }

    private PooledQuotaLedger ledger(Account... accounts) {
        return new PooledQuotaLedger(new AccountPool(List.of(accounts)), new InMemoryQuotaStateStore(),
                new QuotaWindows(Duration.ofSeconds(1)), CLOCK, new Random(7));
    }

    private static Account account(String id) {
        return new Account(id, "gemini", URI.create("http://x"), "none", Map.of(MODEL, ModelLimits.of(100, 100, 1000)), 0,
                ZoneId.of("America/Los_Angeles"), Optional.empty());
    }

    private JobId job(int count) {
        return jobs.add(new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", count, Map.of()), NOW);
    }
}
