package dev.pacer.aws.sqs;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.JobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqsCompletionNoticesTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Test
    void aNoticeArrivesOnTheCallbacksQueueAtOnceAndARetryOnlyAfterItsDelay() {
        String queueUrl = moto.resources().physicalId("CallbacksQueue");
        SqsCompletionNotices notices = new SqsCompletionNotices(moto.clients().sqs(), queueUrl);
        JobId finished = JobId.random();
        JobId retried = JobId.random();

        notices.retryAfter(retried, Duration.ofMinutes(5));
        notices.jobFinished(finished);

        List<Message> now = moto.clients().sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertEquals(List.of(Optional.of(finished)), now.stream().map(m -> JobMessage.parse(m.body())).toList());
        assertEquals("1", moto.clients().sqs().getQueueAttributes(g -> g.queueUrl(queueUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessagesDelayed")).attributesAsStrings().get("ApproximateNumberOfMessagesDelayed"),
                "the retry waits out its delay");
    }
}
