package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.aws.cloudwatch.EmfJobMetrics;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.aws.sqs.SqsCompletionNotices;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.core.usecase.RetryPolicy;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import dev.pacer.runtime.SharedConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQS delivers at least once: the message that started an attempt can be delivered again while that attempt still
 * runs. Against moto's queue, the test deletes what the worker acknowledges, as the event source mapping does.
 */
class DuplicateDeliveryTest {

    private static final String MODEL = "gemini-3.1-flash-image";
    /** Short, so that a duplicate kept until the lease ends comes back within the test. */
    private static final Duration LEASE = Duration.ofSeconds(4);

    private static MotoServer moto;
    private static AwsClients aws;
    private static ProvisionedResources resources;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        resources = TemplateProvisioner.provision(moto.endpoint(), "pacer-duplicates-");
        aws = AwsClients.forEndpoint(moto.endpoint());
    }

    @AfterAll
    static void stopMoto() {
        aws.close();
        moto.close();
    }

    /**
     * The attempt's provider call fails in a way that passes, so the attempt releases the job and counts on its
     * message coming back after the backoff. Acknowledging the duplicate deleted that message (any receipt handle of
     * it deletes it), and the job was left QUEUED with nothing to bring it back.
     */
    @Test
    void aDuplicateOfTheMessageWhileItsAttemptRunsLeavesTheMessageTheAttemptsRetryNeeds() throws Exception {
        CountDownLatch calling = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ImageProvider provider = (request, account) -> {
            if (calls.incrementAndGet() > 1) {
                return new ProviderOutcome.Generated(List.of(new ProviderOutcome.GeneratedImage(new byte[] {1, 2, 3}, "image/png")));
            }
            calling.countDown();
            await(answer);
            return new ProviderOutcome.RetryLater("provider_unavailable", "gemini 503 UNAVAILABLE: the model is overloaded");
        };
        String queueUrl = resources.physicalId("JobsQueue");
        DynamoDbJobStore jobs = new DynamoDbJobStore(aws.dynamoDb(), resources.physicalId("JobsTable"), Duration.ofDays(1));
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (S3Presigner presigner = presigner()) {
            JobDelivery delivery = delivery(provider, jobs, presigner);
            Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", 1, Map.of()),
                    Instant.now());
            jobs.create(job);
            new SqsJobQueue(aws.sqs(), queueUrl).enqueue(job.id());

            Message first = receive(queueUrl, Duration.ofSeconds(5)).orElseThrow();
            Future<Boolean> attempt = worker.submit(() -> delivery.handle(event(first)));
            assertTrue(calling.await(10, TimeUnit.SECONDS), "the attempt is calling the provider");
            // the same message again, while its attempt runs: SQS's at-least-once delivery
            aws.sqs().changeMessageVisibility(change -> change.queueUrl(queueUrl).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
            Message duplicate = receive(queueUrl, Duration.ofSeconds(5)).orElseThrow();
            assertEquals(first.messageId(), duplicate.messageId());
            acknowledgeIfDone(queueUrl, duplicate, delivery.handle(event(duplicate)));
            answer.countDown();
            acknowledgeIfDone(queueUrl, first, attempt.get(10, TimeUnit.SECONDS));

            assertEquals(JobStatus.QUEUED, jobs.find(job.id()).orElseThrow().status(), "released for another attempt");
            Optional<Message> back = receive(queueUrl, LEASE.plusSeconds(15));
            assertTrue(back.isPresent(), "a message still brings the QUEUED job back");
            acknowledgeIfDone(queueUrl, back.get(), delivery.handle(event(back.get())));
            assertEquals(JobStatus.SUCCEEDED, jobs.find(job.id()).orElseThrow().status());
            assertEquals(2, calls.get(), "the provider was called once per attempt, never twice for one");
        } finally {
            worker.shutdownNow();
        }
    }

    private static JobDelivery delivery(ImageProvider provider, DynamoDbJobStore jobs, S3Presigner presigner) {
        Account account = new Account("project-a", "gemini", URI.create("http://localhost"), "none",
                Map.of(MODEL, ModelLimits.of(1000, 1000, 100_000)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty());
        PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(List.of(account)),
                new DynamoDbQuotaStateStore(aws.dynamoDb(), resources.physicalId("QuotaTable")),
                new QuotaWindows(Duration.ofSeconds(1)), Clock.systemUTC(), new Random());
        ProcessGeneration process = new ProcessGeneration(jobs, ledger, provider,
                new S3ImageStore(aws.s3(), presigner, resources.physicalId("ImagesBucket")),
                EmfJobMetrics.toStdout("pacer-test", Clock.systemUTC()),
                new SqsCompletionNotices(aws.sqs(), resources.physicalId("CallbacksQueue")),
                new ProcessGeneration.Settings(ModelCatalogs.bundled(), new RetryPolicy(3, LEASE), PriceTable.of(ModelCatalogs.bundled()),
                        Clock.systemUTC()));
        SmallRyeConfig config = config();
        return new JobDelivery(process, aws.sqs(), config.getConfigMapping(SharedConfig.class), config.getConfigMapping(GenerationConfig.class),
                new SqsJobQueue(aws.sqs(), resources.physicalId("JobsQueue")),
                new DynamoDbParkedJobs(aws.dynamoDb(), resources.physicalId("QuotaTable")), Clock.systemUTC());
    }

    /** What the event source mapping does with a message the handler did not report as failed. */
    private static void acknowledgeIfDone(String queueUrl, Message message, boolean done) {
        if (done) {
            aws.sqs().deleteMessage(delete -> delete.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
    }

    private static Optional<Message> receive(String queueUrl, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            List<Message> messages = aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (!messages.isEmpty()) {
                return Optional.of(messages.get(0));
            }
        }
        return Optional.empty();
    }

    private static SQSEvent.SQSMessage event(Message message) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(message.messageId());
        m.setReceiptHandle(message.receiptHandle());
        m.setBody(message.body());
        m.setAttributes(Map.of("ApproximateReceiveCount",
                message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")));
        assertTrue(JobMessage.parse(message.body()).isPresent());
        return m;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the call answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static S3Presigner presigner() {
        return S3Presigner.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsClients.ACCESS_KEY_ID,
                        AwsClients.SECRET_ACCESS_KEY)))
                .build();
    }

    /** The worker's real configuration mappings, with their defaults, for this stack; the first backoff is 1 s. */
    private static SmallRyeConfig config() {
        return new SmallRyeConfigBuilder()
                .withMapping(SharedConfig.class)
                .withMapping(GenerationConfig.class)
                .withSources(new PropertiesConfigSource(Map.of(
                        "pacer.jobs-table", resources.physicalId("JobsTable"),
                        "pacer.jobs-queue-url", resources.physicalId("JobsQueue"),
                        "pacer.images-bucket", resources.physicalId("ImagesBucket"),
                        "pacer.quota-table", resources.physicalId("QuotaTable"),
                        "pacer.callbacks.queue-url", resources.physicalId("CallbacksQueue"),
                        "pacer.retry-backoff", "PT1S"), "duplicates", 500))
                .build();
    }
}
