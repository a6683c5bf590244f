package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.LearnedBatchLimit;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.port.InMemoryInputImages;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.ModelLimits;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch lane's own limits: tokens enqueued per account and model under the limit declared in the pool or learned
 * from the provider's refusal, and open batches per account. Batches hold at most 5 jobs, an account at most 2 open.
 */
class CollectBatchesQuotaTest extends BatchLaneFixture {

    private final AtomicInteger ids = new AtomicInteger();

    /** What pacer estimates one waiting job ("a fox", one 1K image) enqueues. */
    private final long perJob = support.enqueuedTokens(
            new dev.pacer.core.job.GenerationRequest("a fox", MODEL, dev.pacer.core.job.Resolution.ONE_K, "1:1", 1, Map.of()));

    private static Account limited(String id, Optional<Long> enqueuedTokens, Optional<Integer> maxOpen) {
        ModelLimits limits = ModelLimits.of(10, 10, 100);
        return new Account(id, "gemini", URI.create("http://localhost"), "none",
                Map.of(MODEL, enqueuedTokens.map(limits::withBatchEnqueuedTokens).orElse(limits)), 0, ZoneId.of("America/Los_Angeles"),
                Optional.empty(), maxOpen);
    }

    private CollectBatches collector(Account... accounts) {
        BatchSupport pool = new BatchSupport(TestCatalog.standard(), new AccountPool(List.of(accounts)));
        return new CollectBatches(jobs, batches, provider, pool, settings, new InMemoryInputImages(), syncQueue, clock,
                () -> "q" + ids.incrementAndGet());
    }

    private PollBatches poller(Account... accounts) {
        BatchSupport pool = new BatchSupport(TestCatalog.standard(), new AccountPool(List.of(accounts)));
        return new PollBatches(jobs, batches, provider, pool, images, syncQueue, notices, metrics, TestCatalog.prices(), settings, clock);
    }

    private List<JobId> waitingJobs(int n) {
        List<JobId> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made.add(waiting(1));
        }
        return made;
    }

    @Test
    void aJobsEnqueuedTokensAreTheSyncLanesEstimate() {
        assertEquals(2 + 1_290, perJob, "\"a fox\" is 2 tokens; the test catalog has no output figure, so a 1K image is taken for 1,290");
    }

    @Test
    void eachAccountIsFilledOnlyUpToItsDeclaredLimitAndTheRestWait() {
        CollectBatches collector = collector(limited("project-a", Optional.of(3 * perJob), Optional.empty()),
                limited("project-b", Optional.of(3 * perJob), Optional.empty()));
        List<JobId> ids = waitingJobs(8);

        CollectBatches.Collected collected = collector.collect();

        assertEquals(2, collected.opened());
        assertEquals(6, collected.jobs(), "3 jobs' tokens on each account, though a batch could hold 5");
        assertEquals(List.of("project-a", "project-b"), provider.batches.values().stream().map(made -> made.account().id()).toList());
        assertEquals(3 * perJob, batches.unfinished("project-a").get(0).enqueuedTokens(), "the record keeps what it enqueued");
        assertEquals(JobStatus.QUEUED, job(ids.get(6)).status());
        assertEquals(0, job(ids.get(6)).attempts(), "a job not taken is untouched: never failed, never counted");

        assertEquals(0, collector.collect().opened(), "both accounts are at their limit with 2 jobs still waiting");
        assertEquals(2, jobs.waitingForBatch(MODEL, 100).size());
    }

    @Test
    void aBatchIsFilledWithWhatIsLeftUnderTheLimit() {
        CollectBatches collector = collector(limited("project-a", Optional.of(5 * perJob), Optional.empty()));
        waitingJobs(2);
        clock.advance(Duration.ofMinutes(10));
        collector.collect();
        List<JobId> later = waitingJobs(5);

        CollectBatches.Collected collected = collector.collect();

        assertEquals(3, collected.jobs(), "2 jobs' tokens are enqueued, 3 more fit under 5");
        assertEquals(List.of(later.get(0).value(), later.get(1).value(), later.get(2).value()),
                batches.unfinished("project-a").get(1).jobIds(), "the oldest first");
        assertEquals(JobStatus.QUEUED, job(later.get(3)).status());
    }

    @Test
    void anAccountAtItsLimitTakesNothingAndAnotherWithRoomTakesTheJobs() {
        Account full = limited("project-a", Optional.of(2 * perJob), Optional.empty());
        CollectBatches alone = collector(full);
        waitingJobs(2);
        clock.advance(Duration.ofMinutes(10));
        alone.collect();
        List<JobId> more = waitingJobs(3);

        assertEquals(0, alone.collect().opened(), "nothing is taken when the account is full");
        assertEquals(JobStatus.QUEUED, job(more.get(0)).status());

        CollectBatches.Collected collected = collector(full, limited("project-b", Optional.empty(), Optional.empty())).collect();

        assertEquals(3, collected.jobs());
        assertEquals(1, batches.unfinished("project-b").size());
    }

    @Test
    void anAccountsOwnBoundOnOpenBatchesIsKeptBelowTheLanes() {
        CollectBatches collector = collector(limited("project-a", Optional.empty(), Optional.of(1)));
        waitingJobs(10);

        collector.collect();

        assertEquals(1, batches.unfinished("project-a").size(), "the pool says 1, the lane's bound is 2");
        assertEquals(5, jobs.waitingForBatch(MODEL, 100).size());
    }

    @Test
    void aCreateRefusedForTheBatchQuotaSendsItsJobsBackToWaitingAndTeachesALimitTheNextRunKeeps() {
        Account undeclared = limited("project-a", Optional.empty(), Optional.empty());
        CollectBatches collector = collector(undeclared);
        PollBatches poller = poller(undeclared);
        provider.enqueuedLimit.put("project-a", 4 * (ScriptedBatchProvider.TOKENS_PER_IMAGE + 2));
        waitingJobs(3);
        collector.collect();
        List<JobId> refused = waitingJobs(3);

        CollectBatches.Collected collected = collector.collect();

        assertEquals(0, collected.opened(), "Gemini answered the create 429: no batch was made");
        assertEquals(1, provider.batches.size());
        Job back = job(refused.get(0));
        assertEquals(JobStatus.QUEUED, back.status(), "waiting for a batch again, not failed");
        assertTrue(back.waitsForBatch());
        assertEquals(BatchQuota.OVER_QUOTA, back.error().orElseThrow().type());
        Attempt logged = back.attemptLog().get(back.attemptLog().size() - 1);
        assertEquals(Attempt.Outcome.RETRY_LATER, logged.outcome());
        assertEquals(Optional.of(BatchQuota.OVER_QUOTA), logged.errorType());
        assertEquals(0, logged.estimatedCostUsd().signum());
        LearnedBatchLimit learned = batches.learnedLimit("project-a", MODEL).orElseThrow();
        assertEquals(3 * perJob, learned.enqueuedTokens(), "what was enqueued when the provider refused more");
        assertEquals(BatchRecord.Phase.DONE, batches.find("q2").orElseThrow().phase());

        assertEquals(0, collector.collect().opened(), "the next run keeps below the learned limit");
        assertEquals(1, provider.batches.size(), "and does not ask the provider again");

        provider.finishAll(BatchState.SUCCEEDED);
        poller.poll();
        collected = collector.collect();

        assertEquals(3, collected.jobs(), "once the first batch is done, the three fit under what was learned");
        assertTrue(job(refused.get(0)).inBatch("q3"));
        assertEquals(BatchState.PENDING, provider.batches.get("batches/2").batch().state());
    }

    @Test
    void aRefusalOnOneAccountSendsTheJobsToAnotherInTheSameRun() {
        CollectBatches collector = collector(limited("project-a", Optional.empty(), Optional.empty()),
                limited("project-b", Optional.empty(), Optional.empty()));
        provider.enqueuedLimit.put("project-a", 1L);
        List<JobId> ids = waitingJobs(3);

        CollectBatches.Collected collected = collector.collect();

        assertEquals(1, collected.opened());
        assertEquals(3, collected.jobs());
        assertEquals("project-b", provider.batches.values().iterator().next().account().id());
        assertTrue(job(ids.get(0)).status() == JobStatus.BATCHED);
        assertEquals(perJob * 3 / 2, batches.learnedLimit("project-a", MODEL).orElseThrow().enqueuedTokens(),
                "nothing was enqueued before: the batch alone was too much, half of it is tried next");
    }

    @Test
    void aBatchTheProviderFailsForItsEnqueuedTokensSendsItsJobsBackToWaitingHoweverOftenItHappens() {
        Account undeclared = limited("project-a", Optional.empty(), Optional.empty());
        CollectBatches collector = collector(undeclared);
        PollBatches poller = poller(undeclared);
        provider.enqueuedLimit.put("project-a", 1L);
        provider.overQuotaAfterCreate = true; // OpenAI: the create is accepted, the batch fails with token_limit_exceeded
        List<JobId> ids = waitingJobs(3);

        for (int run = 0; run < 4; run++) {
            collector.collect();
            poller.poll();
            clock.advance(Duration.ofMinutes(10));
        }

        Job back = job(ids.get(0));
        assertEquals(JobStatus.QUEUED, back.status(), "4 refusals, more than the 3 batches a job may go into: still waiting");
        assertEquals(BatchQuota.OVER_QUOTA, back.error().orElseThrow().type());
        assertEquals(Math.max(1, perJob / 2), batches.learnedLimit("project-a", MODEL).orElseThrow().enqueuedTokens(),
                "halved with each refusal of a batch alone, down to a single job");

        provider.enqueuedLimit.remove("project-a");
        provider.overQuotaAfterCreate = false;
        collector.collect();

        assertTrue(job(ids.get(0)).status() == JobStatus.BATCHED, "the oldest job goes alone under the learned limit");
    }

    @Test
    void aLearnedLimitLapsesAfterTheProvidersTurnaroundTarget() {
        Account undeclared = limited("project-a", Optional.empty(), Optional.empty());
        batches.learnLimit("project-a", MODEL, new LearnedBatchLimit(1, clock.instant(), "429"));
        BatchQuota quota = new BatchQuota(batches, new BatchSupport(TestCatalog.standard(), new AccountPool(List.of(undeclared))), settings,
                clock);
        assertEquals(Optional.of(1L), quota.limit(undeclared, MODEL));

        clock.advance(Duration.ofHours(24));

        assertEquals(Optional.empty(), quota.limit(undeclared, MODEL));
    }
}
