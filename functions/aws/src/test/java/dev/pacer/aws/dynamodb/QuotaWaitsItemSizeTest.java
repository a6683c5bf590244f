package dev.pacer.aws.dynamodb;

import dev.pacer.aws.MotoResources;
import dev.pacer.aws.cloudwatch.EmfJobMetrics;
import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountUsage;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.MutableClock;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.core.usecase.ProcessingResult;
import dev.pacer.core.usecase.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A project with no quota for a model answers 429 for ever. Each 429 used to append an entry of about 300 bytes to
 * the job's attempt log, and after some 1,300 the item passed DynamoDB's 400 KB, so every later write on the job
 * failed (the dead-letter recorder's too). Here 2,000 of them go through the use case into the real job store on moto.
 */
class QuotaWaitsItemSizeTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static final String MODEL = ModelCatalogs.bundled().defaultModel().id();
    private static final Account ACCOUNT = new Account("project-without-quota", "gemini", URI.create("http://localhost"), "none",
            Map.of(MODEL, ModelLimits.of(1000, 1000, 100_000)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty());
    private static final int RATE_LIMITS = 2_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T17:00:00Z"));

    @Test
    void twoThousand429sKeepTheJobsItemFarBelowDynamoDbsLimitAndItStillEndsFailed() {
        DynamoDbJobStore jobs = new DynamoDbJobStore(moto.clients().dynamoDb(), moto.resources().physicalId("JobsTable"), Duration.ofDays(30));
        ProcessGeneration process = new ProcessGeneration(jobs, new GrantingLedger(), noQuota(), new NoImages(),
                new EmfJobMetrics("pacer-test", clock, line -> { }), new NoNotices(),
                new ProcessGeneration.Settings(ModelCatalogs.bundled(), new RetryPolicy(3, Duration.ofMinutes(13)),
                        PriceTable.of(ModelCatalogs.bundled()), clock));
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", 1, Map.of()),
                clock.instant());
        jobs.create(job);

        for (int delivery = 0; delivery < RATE_LIMITS; delivery++) {
            assertInstanceOf(ProcessingResult.WaitForQuota.class, process.process(job.id()), "delivery " + delivery);
            clock.advance(Duration.ofMinutes(1));
        }

        int size = ItemSize.of(item(job.id()));
        System.out.printf("after %d 429s the job's item holds %d bytes (DynamoDB allows %d)%n", RATE_LIMITS, size, ItemSize.LIMIT);
        assertTrue(size < 16 * 1024, "after " + RATE_LIMITS + " 429s the item holds " + size + " bytes; DynamoDB allows " + ItemSize.LIMIT);
        Job waiting = jobs.find(job.id()).orElseThrow();
        assertEquals(JobStatus.WAITING_FOR_QUOTA, waiting.status());
        assertEquals(RATE_LIMITS, waiting.quotaWaits().orElseThrow().count(), "every wait is counted");
        assertEquals(10, waiting.attemptLog().size(), "the first ten 429s are logged one by one");

        // a week after it was accepted (PACER_MAX_QUOTA_WAIT's default), the next 429 ends it: the write still fits
        clock.set(job.createdAt().plus(Duration.ofDays(7)).plusSeconds(1));
        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process.process(job.id()));
        assertEquals("quota_wait_exceeded", jobs.find(job.id()).orElseThrow().error().orElseThrow().type());
    }

    private Map<String, AttributeValue> item(JobId id) {
        return moto.clients().dynamoDb().getItem(get -> get.tableName(moto.resources().physicalId("JobsTable"))
                .key(Map.of(JobItems.ID, AttributeValue.fromS(id.value()))).consistentRead(true)).item();
    }

    private static ImageProvider noQuota() {
        return (request, account) -> new ProviderOutcome.RateLimited("rate_limited",
                "gemini 429 RESOURCE_EXHAUSTED [quota GenerateRequestsPerMinutePerProjectPerModel]: the account's rate limit at the provider was reached",
                Optional.of(Duration.ofSeconds(30)), false, Optional.of("GenerateRequestsPerMinutePerProjectPerModel"));
    }

    /** Grants every reservation: the ledger believes the declared limits, the project has none. */
    private final class GrantingLedger implements QuotaLedger {
        @Override
        public ReservationOutcome reserve(String model, Demand demand, Duration hold) {
            return new ReservationOutcome.Granted(new Reservation(UUID.randomUUID().toString(), ACCOUNT, model, demand, clock.instant()));
        }

        @Override
        public void release(Reservation reservation, dev.pacer.core.quota.CallReport report) {
        }

        @Override
        public Instant coolDown(Reservation reservation, RateLimit rateLimit) {
            return clock.instant().plus(rateLimit.retryDelay().orElse(Duration.ZERO));
        }

        @Override
        public List<AccountUsage> usage() {
            return List.of();
        }
    }

    private static final class NoImages implements ImageStore {
        @Override
        public void put(String key, byte[] bytes, String contentType) {
            throw new AssertionError("a 429 brings no image");
        }

        @Override
        public List<StoredImage> stored(String prefix) {
            return List.of();
        }

        @Override
        public URI presignedGet(String key, Duration validFor) {
            throw new AssertionError("nothing to sign");
        }
    }

    private static final class NoNotices implements CompletionNotices {
        @Override
        public void jobFinished(JobId id) {
        }

        @Override
        public void retryAfter(JobId id, Duration delay) {
        }
    }
}
