package dev.pacer.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.aws.priming.SdkPriming;
import dev.pacer.aws.priming.SdkPriming.Call;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Map;

/**
 * At start-up, what a first submission would pay: the AWS SDK's calls against an in-process answer (no AWS call), the
 * real clients built (they are built on first use: TLS context, region, interceptors), a submission's JSON read and its
 * answer written through the mapper RESTEasy uses. Lambda runs init on a full vCPU and SnapStart snapshots it.
 */
@ApplicationScoped
class PrimeOnStart {

    private static final Logger LOG = Logger.getLogger(PrimeOnStart.class);

    private static final byte[] SUBMISSION = "{\"prompt\":\"a lighthouse at dawn\",\"resolution\":\"1K\",\"count\":1}"
            .getBytes(StandardCharsets.UTF_8);

    private volatile SdkPriming.Report report;

    void prime(@Observes StartupEvent start, IntakeConfig config, DynamoDbClient dynamoDb, SqsClient sqs, SubmissionBodies bodies,
               ObjectMapper json) {
        if (!config.primeOnStart()) {
            return;
        }
        report = SdkPriming.prime(EnumSet.of(Call.DYNAMODB_PUT_ITEM, Call.DYNAMODB_TRANSACT_WRITE_ITEMS, Call.DYNAMODB_GET_ITEM,
                Call.SQS_SEND_MESSAGE), () -> {
                    dynamoDb.serviceClientConfiguration();
                    sqs.serviceClientConfiguration();
                    bodies.parse(SUBMISSION);
                    json.writeValueAsBytes(new GenerationsResource.Accepted("priming", "QUEUED", Map.of("self", "/v1/generations/priming")));
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
