package dev.pacer.core.capacity;

import dev.pacer.core.job.Resolution;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What AWS charges for one image of a one-image job, in USD: every unit price and every per-image count the
 * capacity planner uses, in one place. Estimates (list prices, us-east-1, pay-per-request, no free tier):
 * the AWS bill is the truth.
 *
 * <p>One image walks this path: the HTTP API and the intake Lambda take the POST and one status GET; SQS
 * carries one message (send, receive, delete); the worker Lambda is busy for the latency (billed for a whole
 * invocation: a trickle of jobs arrives in batches of one, so batching does not share it); DynamoDB takes the
 * job's writes (create, claim, attempt log, SUCCEEDED) and the ledger's (reserve, release), and a few reads;
 * S3 stores the image for the retention and serves one download to the internet.
 *
 * @param prices             the unit prices
 * @param workerMemoryMb     the worker function's MemorySize (template.yaml)
 * @param intakeMemoryMb     the intake function's MemorySize
 * @param imageRetentionDays how long images stay in the bucket (template parameter ImageRetentionDays)
 */
public record AwsCosts(Prices prices, int workerMemoryMb, int intakeMemoryMb, int imageRetentionDays) {

    /**
     * USD unit prices.
     *
     * @param lambdaArmGbSecond  Lambda arm64 compute per GB-second
     * @param lambdaRequest      per Lambda invocation
     * @param httpApiRequest     per API Gateway HTTP API request
     * @param sqsRequest         per SQS standard-queue request
     * @param dynamoDbWriteUnit  per on-demand write request unit
     * @param dynamoDbReadUnit   per on-demand read request unit
     * @param s3Put              per S3 PUT
     * @param s3Get              per S3 GET
     * @param s3GbMonth          S3 Standard storage per GB-month
     * @param transferOutGb      data transfer out to the internet per GB
     */
    public record Prices(BigDecimal lambdaArmGbSecond, BigDecimal lambdaRequest, BigDecimal httpApiRequest,
            BigDecimal sqsRequest, BigDecimal dynamoDbWriteUnit, BigDecimal dynamoDbReadUnit, BigDecimal s3Put,
            BigDecimal s3Get, BigDecimal s3GbMonth, BigDecimal transferOutGb) {
    }

    /** us-east-1 list prices (2026). */
    public static final Prices US_EAST_1 = new Prices(
            new BigDecimal("0.0000133334"), perMillion("0.20"), perMillion("1.00"), perMillion("0.40"),
            perMillion("0.625"), perMillion("0.125"), new BigDecimal("0.000005"), new BigDecimal("0.0000004"),
            new BigDecimal("0.023"), new BigDecimal("0.09"));

    /** HTTP requests per image: the POST and one status GET. */
    static final int API_REQUESTS = 2;
    /** Billed intake time per request (SnapStart, a DynamoDB and an SQS call). */
    static final Duration INTAKE_TIME = Duration.ofMillis(100);
    /** SendMessage, ReceiveMessage, DeleteMessage. */
    static final int SQS_REQUESTS = 3;
    /**
     * Job item: create, claim, attempt log, SUCCEEDED and its recentSuccesses index entry (1 KB each, the create 2
     * with an idempotency key); ledger: reserve, release (2 KB each).
     */
    static final int DYNAMODB_WRITE_UNITS = 10;
    /** The ledger's read of each account's item, the status GET. */
    static final int DYNAMODB_READ_UNITS = 4;
    /** A typical photographic PNG per resolution (the provider's output is stored as it comes). */
    static final Map<Resolution, Long> IMAGE_BYTES = Map.of(
            Resolution.HALF_K, 400_000L, Resolution.ONE_K, 1_600_000L,
            Resolution.TWO_K, 6_000_000L, Resolution.FOUR_K, 24_000_000L);

    private static final BigDecimal MB_PER_GB = BigDecimal.valueOf(1024);
    private static final BigDecimal BYTES_PER_GB = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal DAYS_PER_MONTH = BigDecimal.valueOf(30);

    public AwsCosts {
        Objects.requireNonNull(prices, "prices");
        if (workerMemoryMb < 128 || intakeMemoryMb < 128 || imageRetentionDays < 1) {
            throw new IllegalArgumentException("memory must be at least 128 MB and retention at least 1 day");
        }
    }

    /** AWS's share of one image that keeps a worker busy for {@code latency}. */
    public BigDecimal perImage(Resolution resolution, Duration latency) {
        BigDecimal gb = BigDecimal.valueOf(IMAGE_BYTES.get(resolution)).divide(BYTES_PER_GB, MathContext.DECIMAL64);
        return lambdaSeconds(workerMemoryMb, latency)
                .add(lambdaSeconds(intakeMemoryMb, INTAKE_TIME).multiply(BigDecimal.valueOf(API_REQUESTS)))
                .add(prices.lambdaRequest().multiply(BigDecimal.valueOf(1 + API_REQUESTS)))
                .add(prices.httpApiRequest().multiply(BigDecimal.valueOf(API_REQUESTS)))
                .add(prices.sqsRequest().multiply(BigDecimal.valueOf(SQS_REQUESTS)))
                .add(prices.dynamoDbWriteUnit().multiply(BigDecimal.valueOf(DYNAMODB_WRITE_UNITS)))
                .add(prices.dynamoDbReadUnit().multiply(BigDecimal.valueOf(DYNAMODB_READ_UNITS)))
                .add(prices.s3Put()).add(prices.s3Get())
                .add(gb.multiply(prices.s3GbMonth()).multiply(BigDecimal.valueOf(imageRetentionDays))
                        .divide(DAYS_PER_MONTH, MathContext.DECIMAL64))
                .add(gb.multiply(prices.transferOutGb()));
    }

    private BigDecimal lambdaSeconds(int memoryMb, Duration time) {
        BigDecimal seconds = BigDecimal.valueOf(time.toMillis()).movePointLeft(3);
        return BigDecimal.valueOf(memoryMb).divide(MB_PER_GB, MathContext.DECIMAL64).multiply(seconds).multiply(prices.lambdaArmGbSecond());
    }

    private static BigDecimal perMillion(String usd) {
        return new BigDecimal(usd).movePointLeft(6);
    }
}
