package dev.pacer.core.usecase;

import dev.pacer.core.job.Callback;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.CallbackEndpoint.CallbackAnswer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliverCallbackTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
    private static final URI HOOK = URI.create("https://hooks.example/pacer");

    private final InMemoryJobs jobs = new InMemoryJobs();
    private final RecordedNotices notices = new RecordedNotices();
    private final Deque<CallbackAnswer> answers = new ArrayDeque<>();
    private final List<URI> posted = new ArrayList<>();
    private final DeliverCallback deliver = new DeliverCallback(jobs, new ReadGeneration(jobs, new DiscardedImages(), Duration.ofMinutes(15)),
            (url, view) -> {
                posted.add(url);
                return answers.removeFirst();
            }, notices, new CallbackPolicy(3, Duration.ofSeconds(10)), CLOCK);

    @Test
    void a2xxDeliversItAndRecordsTheStatus() {
        JobId id = finishedJobWithCallback();
        answers.add(new CallbackAnswer.Answered(204));

        assertEquals(new DeliverCallback.Result.Delivered(204, 1), deliver.deliver(id));

        Callback callback = jobs.find(id).orElseThrow().callback().orElseThrow();
        assertEquals(Optional.of(CLOCK.instant()), callback.deliveredAt());
        assertEquals(Optional.of(204), callback.lastStatus());
        assertEquals(List.of(HOOK), posted);
        assertEquals(List.of(), notices.sent, "nothing more to send");
    }

    @Test
    void failuresAreRetriedWithADoublingBackoffThenGivenUpAfterTheLastAttempt() {
        JobId id = finishedJobWithCallback();
        answers.add(new CallbackAnswer.Answered(500));
        answers.add(new CallbackAnswer.Unreachable("connection refused"));
        answers.add(new CallbackAnswer.Answered(302));

        assertEquals(new DeliverCallback.Result.WillRetry("HTTP 500", Duration.ofSeconds(10)), deliver.deliver(id));
        assertEquals(new DeliverCallback.Result.WillRetry("connection refused", Duration.ofSeconds(20)), deliver.deliver(id));
        assertEquals(new DeliverCallback.Result.GaveUp("HTTP 302", 3), deliver.deliver(id));

        assertEquals(List.of(new RecordedNotices.Notice(id, Duration.ofSeconds(10)), new RecordedNotices.Notice(id, Duration.ofSeconds(20))),
                notices.sent);
        Callback callback = jobs.find(id).orElseThrow().callback().orElseThrow();
        assertEquals(3, callback.attempts());
        assertEquals(Optional.of(CLOCK.instant()), callback.gaveUpAt());
        assertEquals(Optional.empty(), callback.deliveredAt());
        assertEquals(Optional.of(302), callback.lastStatus());
    }

    /** A function that times out during the POST records nothing after it: the attempt must be on the job before. */
    @Test
    void theAttemptIsRecordedBeforeThePostIsSent() {
        JobId id = finishedJobWithCallback();
        List<Callback> seenDuringThePost = new ArrayList<>();
        DeliverCallback watching = new DeliverCallback(jobs, new ReadGeneration(jobs, new DiscardedImages(), Duration.ofMinutes(15)),
                (url, view) -> {
                    seenDuringThePost.add(jobs.find(id).orElseThrow().callback().orElseThrow());
                    return new CallbackAnswer.Answered(204);
                }, notices, new CallbackPolicy(3, Duration.ofSeconds(10)), CLOCK);

        assertEquals(new DeliverCallback.Result.Delivered(204, 1), watching.deliver(id));

        Callback during = seenDuringThePost.get(0);
        assertEquals(1, during.attempts());
        assertEquals(Optional.of(CLOCK.instant()), during.lastAttemptAt());
        assertEquals(Optional.empty(), during.deliveredAt());
        assertTrue(during.lastError().orElseThrow().contains("no answer recorded"), during::toString);
        Callback after = jobs.find(id).orElseThrow().callback().orElseThrow();
        assertEquals(1, after.attempts(), "the answer is recorded on the same attempt");
        assertEquals(Optional.empty(), after.lastError());
    }

    /**
     * A receiver that holds each POST until the function times out: every delivery dies mid-POST and SQS delivers the
     * notice again. The attempts it never came back from count, so the limit ends it.
     */
    @Test
    void attemptsTheFunctionNeverCameBackFromCountTowardTheLimit() {
        JobId id = finishedJobWithCallback();
        DeliverCallback dying = new DeliverCallback(jobs, new ReadGeneration(jobs, new DiscardedImages(), Duration.ofMinutes(15)),
                (url, view) -> {
                    posted.add(url);
                    throw new IllegalStateException("the function timed out during the POST");
                }, notices, new CallbackPolicy(3, Duration.ofSeconds(10)), CLOCK);

        for (int delivery = 1; delivery <= 3; delivery++) {
            assertThrows(IllegalStateException.class, () -> dying.deliver(id));
        }
        DeliverCallback.Result fourth = dying.deliver(id);

        DeliverCallback.Result.GaveUp gaveUp = assertInstanceOf(DeliverCallback.Result.GaveUp.class, fourth);
        assertEquals(3, gaveUp.attempts());
        assertTrue(gaveUp.reason().contains("no answer recorded"), gaveUp::reason);
        assertEquals(3, posted.size(), "no fourth POST");
        Callback callback = jobs.find(id).orElseThrow().callback().orElseThrow();
        assertEquals(Optional.of(CLOCK.instant()), callback.gaveUpAt());
        assertEquals(List.of(), notices.sent);
    }

    @Test
    void aDuplicateNoticeAfterDeliveryPostsNothing() {
        JobId id = finishedJobWithCallback();
        answers.add(new CallbackAnswer.Answered(200));
        deliver.deliver(id);

        assertInstanceOf(DeliverCallback.Result.Skipped.class, deliver.deliver(id));
        assertEquals(1, posted.size());
    }

    @Test
    void anUnfinishedJobOrOneWithoutCallbackIsNotPosted() {
        Job running = Job.queued(JobId.random(), "alice", request(), CLOCK.instant()).withCallback(HOOK);
        jobs.create(running);
        JobId plain = jobs.add(request(), CLOCK.instant());
        jobs.markFailed(plain, new JobError("safety", "blocked"), CLOCK.instant());

        assertInstanceOf(DeliverCallback.Result.Skipped.class, deliver.deliver(running.id()));
        assertInstanceOf(DeliverCallback.Result.Skipped.class, deliver.deliver(plain));
        assertTrue(posted.isEmpty());
    }

    @Test
    void theBackoffIsCappedAtFifteenMinutes() {
        CallbackPolicy policy = new CallbackPolicy(20, Duration.ofMinutes(1));

        assertEquals(Duration.ofMinutes(8), policy.backoff(4));
        assertEquals(Duration.ofMinutes(15), policy.backoff(5));
        assertEquals(Duration.ofMinutes(15), policy.backoff(19));
    }

    private JobId finishedJobWithCallback() {
        Job job = Job.queued(JobId.random(), "alice", request(), CLOCK.instant()).withCallback(HOOK);
        jobs.create(job);
        jobs.markFailed(job.id(), new JobError("safety", "blocked"), CLOCK.instant());
        return job.id();
    }

    private static GenerationRequest request() {
        return new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1, Map.of());
    }
}
