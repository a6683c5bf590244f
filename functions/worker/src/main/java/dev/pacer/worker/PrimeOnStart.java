package dev.pacer.worker;

import dev.pacer.aws.priming.SdkPriming;
import dev.pacer.aws.priming.SdkPriming.Call;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.EnumSet;
import java.util.Optional;

/**
 * At start-up, what a first job would pay: the AWS SDK's calls a job makes (claim, quota reservation and its lost
 * race, image upload, completion notice or delayed re-send, final update) against an in-process answer (no AWS call),
 * and the real clients built (they are built on first use). Lambda runs init on a full vCPU and SnapStart snapshots it.
 */
@ApplicationScoped
class PrimeOnStart {

    private static final Logger LOG = Logger.getLogger(PrimeOnStart.class);

    private volatile SdkPriming.Report report;

    void prime(@Observes StartupEvent start, WorkerConfig config, @ConfigProperty(name = "quarkus.lambda.handler") String handler,
               DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3) {
        // Only the job handler is on a latency path (and published with SnapStart); the same package's other
        // handlers (dead letters, parked jobs, callbacks) make other calls and would only pay for these.
        if (!config.primeOnStart() || !GenerateImagesHandler.NAME.equals(handler)) {
            return;
        }
        report = SdkPriming.prime(EnumSet.complementOf(EnumSet.of(Call.DYNAMODB_TRANSACT_WRITE_ITEMS)), () -> {
            dynamoDb.serviceClientConfiguration();
            sqs.serviceClientConfiguration();
            s3.serviceClientConfiguration();
        });
        if (report.allPrimed()) {
            LOG.info(report);
        } else {
            LOG.warnf("%s (incomplete: the first event pays for the rest)", report);
        }
    }

    /** What the AWS SDK priming at start-up did; empty when it was off (or not for this handler). */
    Optional<SdkPriming.Report> report() {
        return Optional.ofNullable(report);
    }
}
