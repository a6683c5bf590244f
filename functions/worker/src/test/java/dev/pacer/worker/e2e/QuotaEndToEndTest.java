package dev.pacer.worker.e2e;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.aws.cloudwatch.EmfJobMetrics;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.aws.sqs.SqsCompletionNotices;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.RoutingImageProvider;
import dev.pacer.providers.gemini.GeminiImageProvider;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import dev.pacer.core.usecase.RetryPolicy;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import dev.pacer.worker.JobDeliveryProbe;
import dev.pacer.worker.GenerationConfig;
import dev.pacer.runtime.SharedConfig;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.net.URI;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole worker path against a strict fake Gemini: jobs on the SQS queue (moto), consumers feeding JobDelivery
 * as the event source mapping would, the ledger in DynamoDB, two projects whose rolling window the fake enforces.
 * Time is scaled: a "minute" is 6 s for both the fake and the ledger, so over-quota load passes in seconds.
 */
class QuotaEndToEndTest {

    private static final String MODEL = "gemini-2.5-flash-image";
    private static final Duration MINUTE = Duration.ofSeconds(6);
    private static final int RPM = 3;
    private static final int JOBS = 24;
    private static final int CONSUMERS = 4;

    private static MotoServer moto;
    private static AwsClients aws;
    private static ProvisionedResources resources;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        resources = TemplateProvisioner.provision(moto.endpoint(), "pacer-e2e-");
        aws = AwsClients.forEndpoint(moto.endpoint());
    }

    @AfterAll
    static void stopMoto() {
        aws.close();
        moto.close();
    }

    @Test
    void moreJobsThanQuotaAllSucceedWithoutASingle429() throws Exception {
        try (FakeGemini gemini = new FakeGemini(RPM, MINUTE, Duration.ofMillis(300))) {
            List<Account> projects = List.of(project("project-a", gemini.baseUrl()), project("project-b", gemini.baseUrl()));
            PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(projects),
                    new DynamoDbQuotaStateStore(aws.dynamoDb(), resources.physicalId("QuotaTable")),
                    new QuotaWindows(MINUTE, Duration.ofMillis(500)), Clock.systemUTC(), new Random());
            DynamoDbJobStore jobs = new DynamoDbJobStore(aws.dynamoDb(), resources.physicalId("JobsTable"), Duration.ofDays(1));
            String queueUrl = resources.physicalId("JobsQueue");
            SqsJobQueue queue = new SqsJobQueue(aws.sqs(), queueUrl);
            try (S3Presigner presigner = S3Presigner.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsClients.ACCESS_KEY_ID, AwsClients.SECRET_ACCESS_KEY)))
                    .build()) {
                ProviderTimeouts timeouts = ProviderTimeouts.of(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30));
                ModelCatalog catalog = ModelCatalogs.bundled();
                ProcessGeneration process = new ProcessGeneration(jobs, ledger,
                        new RoutingImageProvider(Map.of("gemini", new GeminiImageProvider(timeouts, catalog)),
                                account -> Optional.of("key-of-" + account.id())), // the fake counts per key: per project
                        new S3ImageStore(aws.s3(), presigner, resources.physicalId("ImagesBucket")),
                        EmfJobMetrics.toStdout("pacer-test", Clock.systemUTC()),
                        new SqsCompletionNotices(aws.sqs(), resources.physicalId("CallbacksQueue")),
                        new ProcessGeneration.Settings(catalog, new RetryPolicy(3, Duration.ofMinutes(13)),
                                PriceTable.of(catalog), Clock.systemUTC()));
                SmallRyeConfig config = config(queueUrl);
                JobDeliveryProbe delivery = new JobDeliveryProbe(process, aws.sqs(), config.getConfigMapping(SharedConfig.class),
                        config.getConfigMapping(GenerationConfig.class), queue,
                        new DynamoDbParkedJobs(aws.dynamoDb(), resources.physicalId("QuotaTable")));

                List<JobId> ids = new ArrayList<>();
                for (int i = 0; i < JOBS; i++) {
                    Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a lighthouse, take " + i, MODEL, Resolution.ONE_K,
                            "1:1", 1, Map.of()), Instant.now());
                    jobs.create(job);
                    queue.enqueue(job.id());
                    ids.add(job.id());
                }

                AtomicInteger deliveries = new AtomicInteger();
                Instant started = Instant.now();
                Instant deadline = started.plus(Duration.ofSeconds(120));
                ExecutorService consumers = Executors.newFixedThreadPool(CONSUMERS);
                for (int c = 0; c < CONSUMERS; c++) {
                    consumers.submit(() -> {
                        while (Instant.now().isBefore(deadline) && !allFinished(jobs, ids)) {
                            for (Message message : aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(1)
                                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages()) {
                                deliveries.incrementAndGet();
                                if (delivery.handle(event(message))) {
                                    aws.sqs().deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                                }
                            }
                        }
                        return null;
                    });
                }
                consumers.shutdown();
                assertTrue(consumers.awaitTermination(150, TimeUnit.SECONDS));
                Duration took = Duration.between(started, Instant.now());

                long succeeded = ids.stream().filter(id -> jobs.find(id).orElseThrow().status() == JobStatus.SUCCEEDED).count();
                System.out.printf("e2e: %d jobs, %d deliveries, %d generated, %d × 429, %s (ceiling %d per %s over 2 projects)%n",
                        JOBS, deliveries.get(), gemini.generated.get(), gemini.tooManyRequests.get(), took, 2 * RPM, MINUTE);
                assertEquals(0, gemini.tooManyRequests.get(), "the provider never had to say 429");
                assertEquals(JOBS, succeeded, "every job SUCCEEDED in the end");
                assertEquals(JOBS, gemini.generated.get(), "each job generated once");
                assertTrue(deliveries.get() > JOBS, "some jobs waited for quota and came back: " + deliveries.get());
                for (JobId id : ids) {
                    Job done = jobs.find(id).orElseThrow();
                    assertEquals(1, done.attempts(), "waiting used up no attempts");
                    assertTrue(done.account().isPresent());
                }
            }
        }
    }

    private static boolean allFinished(DynamoDbJobStore jobs, List<JobId> ids) {
        return ids.stream().allMatch(id -> jobs.find(id).orElseThrow().status().isTerminal());
    }

    private static SQSEvent.SQSMessage event(Message message) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(message.messageId());
        m.setReceiptHandle(message.receiptHandle());
        m.setBody(message.body());
        m.setAttributes(Map.of("ApproximateReceiveCount",
                message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")));
        return m;
    }

    private static Account project(String id, URI baseUrl) {
        return new Account(id, "gemini", baseUrl, "none", Map.of(MODEL, ModelLimits.of(RPM, RPM, 10_000)), 0.0,
                ZoneId.of("America/Los_Angeles"), Optional.empty());
    }

    /** The worker's real configuration mappings, with their defaults, for this stack. */
    private static SmallRyeConfig config(String queueUrl) {
        return new SmallRyeConfigBuilder()
                .withMapping(SharedConfig.class)
                .withMapping(GenerationConfig.class)
                .withSources(new PropertiesConfigSource(Map.of(
                        "pacer.jobs-table", resources.physicalId("JobsTable"),
                        "pacer.jobs-queue-url", queueUrl,
                        "pacer.images-bucket", resources.physicalId("ImagesBucket"),
                        "pacer.quota-table", resources.physicalId("QuotaTable"),
                        "pacer.callbacks.queue-url", resources.physicalId("CallbacksQueue"),
                        "pacer.quota-window-guard", "PT0.5S",
                        "pacer.retry-backoff", "PT1S"), "quota-e2e", 500))
                .build();
    }
}
