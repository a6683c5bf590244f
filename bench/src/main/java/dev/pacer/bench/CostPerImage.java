package dev.pacer.bench;

import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.core.capacity.AwsCosts;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.usecase.PriceTable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What AWS charges pacer for one image, beside what the provider charges for it. Everything is arithmetic on the
 * named prices and sizes below, so the figures in bench/README.md can be recomputed and re-priced.
 *
 * <p>Calls counted (the happy path of one job of one image, read from ProcessGeneration and the adapters): intake
 * PutItem + SendMessage; the event source mapping's ReceiveMessage and DeleteMessage; worker claim UpdateItem, the
 * ledger's reserve (one consistent GetItem per account serving the model, then one conditional PutItem), the attempt
 * log UpdateItem, PutObject, the final UpdateItem; one status GET (GetItem) with a presigned URL and the client's GET
 * of the object. The ledger's release writes only for accounts with maxConcurrent, so it is not counted.
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.pacer.bench.CostPerImage
 * [workerMemoryMb accounts rpmPerAccount]}.
 */
public final class CostPerImage {

    // us-east-1 on-demand list prices, USD: the ones GET /v1/capacity uses (AwsCosts; bench/README.md names the pages)
    private static final AwsCosts.Prices PRICES = AwsCosts.US_EAST_1;
    static final double LAMBDA_ARM_PER_GB_SECOND = PRICES.lambdaArmGbSecond().doubleValue();
    static final double LAMBDA_PER_REQUEST = PRICES.lambdaRequest().doubleValue();
    static final double SQS_STANDARD_PER_REQUEST = PRICES.sqsRequest().doubleValue();
    static final double DYNAMODB_PER_WRITE_REQUEST_UNIT = PRICES.dynamoDbWriteUnit().doubleValue();
    static final double DYNAMODB_PER_READ_REQUEST_UNIT = PRICES.dynamoDbReadUnit().doubleValue();
    static final double S3_PER_PUT = PRICES.s3Put().doubleValue();
    static final double S3_PER_GET = PRICES.s3Get().doubleValue();
    static final double S3_STANDARD_PER_GB_MONTH = PRICES.s3GbMonth().doubleValue();
    static final double HTTP_API_PER_REQUEST = PRICES.httpApiRequest().doubleValue();
    static final double DATA_TRANSFER_OUT_PER_GB = PRICES.transferOutGb().doubleValue();

    // provider list prices per image: the bundled model catalog's, as the worker has them
    private static final ModelCatalog CATALOG = ModelCatalogs.bundled();
    private static final PriceTable PROVIDER_PRICES = PriceTable.of(CATALOG);

    // sizes and times that are pacer's, not AWS's
    /** Intake POST, warm: parse, one PutItem, one SendMessage (the JMH figure plus two round trips). */
    static final Duration INTAKE_POST = Duration.ofMillis(40);
    /** Intake GET of the status with one presigned URL, warm. */
    static final Duration INTAKE_GET = Duration.ofMillis(30);
    /** Worker time around the provider call: claim, ledger, attempt log, PutObject, final update (warm). */
    static final Duration WORKER_AROUND_CALL = Duration.ofMillis(400);
    /** A job item: the request (prompt up to 8,000 characters, typically a few hundred) and its status, in KB. */
    static final int JOB_ITEM_KB = 2;
    /** A job item with its attempt log and image keys, after the worker wrote it. */
    static final int FINISHED_JOB_ITEM_KB = 3;
    /** One grant in the ledger item: "id|grantedMillis|requests|images|tokens|holdUntilMillis", 13-char id. */
    static final int LEDGER_BYTES_PER_GRANT = 48;
    /** The ledger item's other attributes: keys, version, day, counters, expiry. */
    static final int LEDGER_ITEM_BASE_BYTES = 200;
    /** Days an image stays in the bucket (template parameter ImageRetentionDays). */
    static final int IMAGE_RETENTION_DAYS = 30;
    /** SQS requests per job: SendMessage, the poller's ReceiveMessage, its DeleteMessage (empty long polls not counted). */
    static final int SQS_REQUESTS_PER_JOB = 3;

    /** Rough PNG size per resolution, in MB (photographic content compresses to ~1.5 bytes per pixel). */
    static double pngMegabytes(Resolution resolution) {
        double pixels = (double) resolution.longSidePixels() * resolution.longSidePixels();
        return pixels * 1.5 / 1e6;
    }

    /** One image's AWS bill, by line. */
    record Bill(String label, double workerCompute, double lambdaRequests, double sqs, double dynamoDb, double s3Requests,
                double s3Storage, double httpApi, double egress) {

        double totalWithoutEgress() {
            return workerCompute + lambdaRequests + sqs + dynamoDb + s3Requests + s3Storage + httpApi;
        }
    }

    static Bill bill(String label, Resolution resolution, Duration providerCall, int workerMemoryMb, int intakeMemoryMb,
                     int accounts, int rpmPerAccount) {
        double workerGb = workerMemoryMb / 1024.0;
        double intakeGb = intakeMemoryMb / 1024.0;
        double workerSeconds = seconds(providerCall) + seconds(WORKER_AROUND_CALL);
        double intakeSeconds = seconds(INTAKE_POST) + seconds(INTAKE_GET);
        double compute = (workerGb * workerSeconds + intakeGb * intakeSeconds) * LAMBDA_ARM_PER_GB_SECOND;
        double lambdaRequests = 3 * LAMBDA_PER_REQUEST; // intake POST, worker batch of one, intake GET
        double sqs = SQS_REQUESTS_PER_JOB * SQS_STANDARD_PER_REQUEST;

        int ledgerKb = ledgerItemKb(rpmPerAccount);
        double writeUnits = JOB_ITEM_KB // intake PutItem
                + JOB_ITEM_KB // claim UpdateItem (billed on the larger of the item before and after)
                + ledgerKb // reserve: conditional PutItem of the whole ledger item
                + FINISHED_JOB_ITEM_KB // attempt log UpdateItem
                + FINISHED_JOB_ITEM_KB; // final UpdateItem
        double readUnits = accounts * Math.ceil(ledgerKb / 4.0) // reserve reads every serving account, consistently
                + Math.ceil(FINISHED_JOB_ITEM_KB / 4.0); // status GET, consistent
        double dynamoDb = writeUnits * DYNAMODB_PER_WRITE_REQUEST_UNIT + readUnits * DYNAMODB_PER_READ_REQUEST_UNIT;

        double s3Requests = S3_PER_PUT + S3_PER_GET;
        double gigabytes = pngMegabytes(resolution) / 1024.0;
        double storage = gigabytes * S3_STANDARD_PER_GB_MONTH * IMAGE_RETENTION_DAYS / 30.0;
        double httpApi = 2 * HTTP_API_PER_REQUEST;
        double egress = gigabytes * DATA_TRANSFER_OUT_PER_GB;
        return new Bill(label, compute, lambdaRequests, sqs, dynamoDb, s3Requests, storage, httpApi, egress);
    }

    /** The ledger item of an account granting rpm requests a minute (a grant per request at worst), in whole KB. */
    static int ledgerItemKb(int rpmPerAccount) {
        return (int) Math.ceil((LEDGER_ITEM_BASE_BYTES + (double) rpmPerAccount * LEDGER_BYTES_PER_GRANT) / 1024.0);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    record Row(Bill bill, double providerPrice) {
    }

    static List<Row> rows(int workerMemoryMb, int intakeMemoryMb, int accounts, int rpmPerAccount) {
        List<Row> rows = new ArrayList<>();
        for (Resolution resolution : Resolution.values()) {
            rows.add(new Row(bill(resolution.label() + " (" + resolution.fastestTypicalLatency().toSeconds() + " s)", resolution,
                    resolution.fastestTypicalLatency(), workerMemoryMb, intakeMemoryMb, accounts, rpmPerAccount), Double.NaN));
            if (!resolution.slowestTypicalLatency().equals(resolution.fastestTypicalLatency())) {
                rows.add(new Row(bill(resolution.label() + " (" + resolution.slowestTypicalLatency().toSeconds() + " s)", resolution,
                        resolution.slowestTypicalLatency(), workerMemoryMb, intakeMemoryMb, accounts, rpmPerAccount), Double.NaN));
            }
        }
        // one row per model and resolution the catalog prices, at the resolution's slowest typical latency
        for (ModelSpec model : CATALOG.models()) {
            for (Resolution resolution : model.resolutions()) {
                if (PROVIDER_PRICES.lists(model.id(), resolution)) {
                    Duration latency = resolution.slowestTypicalLatency();
                    rows.add(new Row(bill(model.id() + " " + resolution + " (" + latency.toSeconds() + " s)", resolution, latency,
                            workerMemoryMb, intakeMemoryMb, accounts, rpmPerAccount),
                            PROVIDER_PRICES.estimate(model.id(), resolution, 1).doubleValue()));
                }
            }
        }
        return rows;
    }

    public static void main(String[] args) {
        int workerMemoryMb = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rpmPerAccount = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int intakeMemoryMb = 1024;
        System.out.printf(Locale.ROOT, "worker %d MB, intake %d MB, %d account(s) at %d RPM (ledger item %d KB)%n%n",
                workerMemoryMb, intakeMemoryMb, accounts, rpmPerAccount, ledgerItemKb(rpmPerAccount));
        System.out.println("| image | worker+intake GB-s | Lambda requests | SQS | DynamoDB | S3 requests | S3 storage | HTTP API "
                + "| AWS total | egress (if downloaded to the internet) | provider | AWS / provider |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows(workerMemoryMb, intakeMemoryMb, accounts, rpmPerAccount)) {
            Bill b = row.bill();
            String provider = Double.isNaN(row.providerPrice()) ? "" : usd(row.providerPrice());
            String ratio = Double.isNaN(row.providerPrice()) ? ""
                    : String.format(Locale.ROOT, "%.2f %%", 100 * b.totalWithoutEgress() / row.providerPrice());
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | **%s** | %s | %s | %s |%n", b.label(),
                    usd(b.workerCompute()), usd(b.lambdaRequests()), usd(b.sqs()), usd(b.dynamoDb()), usd(b.s3Requests()),
                    usd(b.s3Storage()), usd(b.httpApi()), usd(b.totalWithoutEgress()), usd(b.egress()), provider, ratio);
        }
    }

    private static String usd(double value) {
        return String.format(Locale.ROOT, "$%.6f", value);
    }
}
