package dev.pacer.aws.priming;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.aws.sqs.SqsCompletionNotices;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.quota.Replacement;
import dev.pacer.core.quota.WindowState;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the adapter calls a function makes on its first event once at start-up, through pacer's own adapters over AWS
 * SDK clients whose HTTP client answers in-process like the services ({@link CannedAws}): no AWS call is made, nothing
 * is billed, no permission is needed, and what is primed is exactly what ships. What the first real call would pay
 * (some 2,500 SDK classes loaded and verified, the request pipeline, the signer, the endpoint rules, the JSON and XML
 * protocols run once) is paid during Lambda's init phase instead, which runs on a full vCPU and which SnapStart keeps in
 * its snapshot; the first event only pays its own round trips.
 */
public final class SdkPriming {

    /** pacer's AWS adapters, over clients that reach only the canned services. */
    public record Adapters(DynamoDbJobStore jobs, DynamoDbQuotaStateStore quota, SqsJobQueue queue, SqsCompletionNotices notices,
            S3ImageStore images) {
    }

    /** One adapter call to prime, named after the port method it runs. */
    public record Call(String name, AdapterCall run) {
    }

    @FunctionalInterface
    public interface AdapterCall {
        void run(Adapters adapters);
    }

    /** The function's own start-up work after the adapter calls: building its real clients, warming its caches. */
    @FunctionalInterface
    public interface Warmup {
        void run() throws Exception;
    }

    /** One primed call: how long it took, how many requests reached the canned services, and what went wrong if anything. */
    public record Step(String call, Duration took, int requests, Optional<String> failure) {
    }

    /** The primed calls, how long priming took in all (the calls and the warm-up) and why the warm-up failed, if it did. */
    public record Report(List<Step> steps, Duration took, Optional<String> warmupFailure) {
        /** Every call ran through the SDK (one request or more) without failing, and so did the warm-up. */
        public boolean allPrimed() {
            return warmupFailure.isEmpty() && steps.stream().allMatch(step -> step.failure().isEmpty() && step.requests() >= 1);
        }

        public List<String> calls() {
            return steps.stream().map(Step::call).toList();
        }

        @Override
        public String toString() {
            return "primed in " + took.toMillis() + " ms; AWS SDK: "
                    + steps.stream().map(s -> s.call() + " " + s.took().toMillis() + " ms" + s.failure().map(f -> " (" + f + ")").orElse(""))
                    .toList()
                    + warmupFailure.map(f -> "; warm-up failed: " + f).orElse("");
        }
    }

    private static final String JOBS_TABLE = "pacer-priming-jobs";
    private static final String QUOTA_TABLE = "pacer-priming-quota";
    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("PRIMINGPRIMINGPRIMING", "priming"));
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Job JOB = job(0);
    private static final String ACCOUNT = "priming";
    private static final String MODEL = "priming";

    /** What a submission makes: the job and its idempotency key written, or the job alone, queued, then read. */
    public static final List<Call> SUBMISSION = List.of(
            new Call("JobStore.createIdempotently", a -> a.jobs().createIdempotently(job(1), new IdempotencyKey("priming"),
                    "priming", NOW.plus(Duration.ofDays(1)))),
            new Call("JobStore.create", a -> a.jobs().create(job(2))),
            new Call("JobStore.find", a -> a.jobs().find(JOB.id())),
            new Call("JobQueue.enqueue", a -> a.queue().enqueue(JOB.id())));

    /**
     * What a job makes: its claim, the quota reservation and the lost race a busy account gives, the image upload, the
     * final update, the completion notice or delayed re-send, and a duplicate delivery's read.
     */
    public static final List<Call> JOB_DELIVERY = List.of(
            new Call("JobStore.claim", a -> a.jobs().claim(JOB.id(), NOW, NOW.plusSeconds(60)).orElseThrow(
                    () -> new IllegalStateException("the canned claim was refused"))),
            new Call("QuotaStateStore.load", a -> a.quota().load(ACCOUNT, MODEL)),
            new Call("QuotaStateStore.replace", a -> a.quota().replace(ACCOUNT, MODEL, 0, WindowState.empty(LocalDate.of(2026, 1, 1)),
                    NOW.plusSeconds(3600))),
            new Call("QuotaStateStore.replace lost race", a -> {
                Replacement lost = a.quota().replace(ACCOUNT, MODEL, 0, WindowState.empty(LocalDate.of(2026, 1, 1)), NOW.plusSeconds(3600));
                if (!(lost instanceof Replacement.Conflict conflict) || conflict.current().isEmpty()) {
                    throw new IllegalStateException("the canned lost race was not a conflict carrying the winner: " + lost);
                }
            }),
            new Call("ImageStore.put", a -> a.images().put("generations/" + JOB.id() + "/0.png",
                    "priming".getBytes(StandardCharsets.US_ASCII), "image/png")),
            new Call("JobStore.markSucceeded", a -> a.jobs().markSucceeded(JOB.id(),
                    List.of(new StoredImage("generations/" + JOB.id() + "/0.png", "image/png", 7)), Optional.empty(), List.of(), NOW)),
            new Call("CompletionNotices.jobFinished", a -> a.notices().jobFinished(JOB.id())),
            new Call("JobQueue.enqueue delayed", a -> a.queue().enqueue(JOB.id(), Duration.ofSeconds(30))),
            new Call("JobStore.find", a -> a.jobs().find(JOB.id())));

    private SdkPriming() {
    }

    /** Primes each call in turn; a call that fails is reported, never thrown (priming only saves time). */
    public static Report prime(List<Call> calls) {
        return prime(calls, () -> { });
    }

    /**
     * Primes each call in turn, then runs the function's own {@code warmup}; what fails is reported, never thrown
     * (priming only saves time: the first event pays for whatever it did not do).
     */
    public static Report prime(List<Call> calls, Warmup warmup) {
        long began = System.nanoTime();
        List<Step> steps = new ArrayList<>();
        CannedAws aws = new CannedAws(Map.of(JOBS_TABLE, List.of("id"), QUOTA_TABLE, List.of("pk", "sk")));
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder().region(REGION).credentialsProvider(CREDENTIALS).httpClient(aws).build();
             SqsClient sqs = SqsClient.builder().region(REGION).credentialsProvider(CREDENTIALS).httpClient(aws).build();
             S3Client s3 = S3Client.builder().region(REGION).credentialsProvider(CREDENTIALS).httpClient(aws).build();
             S3Presigner presigner = S3Presigner.builder().region(REGION).credentialsProvider(CREDENTIALS).build()) {
            String queue = "https://sqs.us-east-1.amazonaws.com/000000000000/pacer-priming";
            Adapters adapters = new Adapters(new DynamoDbJobStore(dynamoDb, JOBS_TABLE, Duration.ofDays(1)),
                    new DynamoDbQuotaStateStore(dynamoDb, QUOTA_TABLE), new SqsJobQueue(sqs, queue), new SqsCompletionNotices(sqs, queue),
                    new S3ImageStore(s3, presigner, "pacer-priming"));
            adapters.jobs().create(JOB); // the job the calls work on, written as the intake writes it
            for (Call call : calls) {
                steps.add(step(call, adapters, aws));
            }
        }
        Optional<String> warmupFailure;
        try {
            warmup.run();
            warmupFailure = Optional.empty();
        } catch (Exception e) {
            warmupFailure = Optional.of(e.toString());
        }
        return new Report(List.copyOf(steps), Duration.ofNanos(System.nanoTime() - began), warmupFailure);
    }

    private static Step step(Call call, Adapters adapters, CannedAws aws) {
        long began = System.nanoTime();
        int before = aws.requests();
        Optional<String> failure;
        try {
            call.run().run(adapters);
            failure = Optional.empty();
        } catch (RuntimeException e) {
            failure = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return new Step(call.name(), Duration.ofNanos(System.nanoTime() - began), aws.requests() - before, failure);
    }

    /** A queued job with a fixed id: nothing unique or random goes into a SnapStart snapshot. */
    private static Job job(int number) {
        return Job.queued(new JobId(String.format("00000000-0000-4000-8000-%012d", number)), "priming",
                new GenerationRequest("priming", "priming", Resolution.ONE_K, "1:1", 1, Map.of()), NOW);
    }
}
