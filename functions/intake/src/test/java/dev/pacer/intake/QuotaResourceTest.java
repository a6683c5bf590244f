package dev.pacer.intake;

import dev.pacer.aws.dynamodb.DynamoDbBatchStore;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.LearnedBatchLimit;
import dev.pacer.core.quota.Cooldown;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.Grant;
import dev.pacer.core.quota.Learning;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.StatedLimit;
import dev.pacer.core.quota.WindowState;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class QuotaResourceTest {

    @Test
    void reportsEachAccountAndModelWithLimitsDeclaredStatedLearnedAndAppliedUseInTheCurrentWindowsAndCooldown() {
        Instant now = Instant.now();
        var store = new DynamoDbQuotaStateStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("QuotaTable"));
        Learning learning = new Learning(
                Map.of(Dimension.RPM, new Learning.LearnedRate(7, Optional.of(10), now.minusSeconds(20), false,
                        "unpredicted 429 at 10 rpm spread evenly: × 0.7")),
                Map.of(Dimension.RPM, new Learning.Stated(StatedLimit.of(12, "quotaValue of GenerateRequestsPerMinutePerProjectPerModel"),
                        now.minusSeconds(80))),
                true, Optional.of(new Learning.Unpredicted(now.minusSeconds(20), "rate_limited: gemini 429 RESOURCE_EXHAUSTED")));
        store.replace("simulated", "gemini-3-pro-image", 0, new WindowState(0, List.of(
                        new Grant("g1", now.minusSeconds(90), new Demand(1, 1, 0), now.minusSeconds(90)),
                        new Grant("g2", now.minusSeconds(10), new Demand(2, 2, 0), now.minusSeconds(10))),
                        QuotaWindows.providerDay(now, ZoneId.of("UTC")), 3,
                        Optional.of(new Cooldown(now.plusSeconds(30), "429: per minute")), learning),
                now.plus(Duration.ofDays(2)));

        String pro = "accounts.find { it.model == 'gemini-3-pro-image' }.";
        given().when().get("/v1/quota")
                .then().statusCode(200)
                .body("accounts.model", hasItems("gemini-3.1-flash-image", "gemini-3-pro-image", "gpt-image-1.5"))
                .body(pro + "account", equalTo("simulated"))
                .body(pro + "limits.rpm", equalTo(10_000))
                .body(pro + "limits.tpm", nullValue())
                .body(pro + "stated.rpm.limit", equalTo(12))
                .body(pro + "stated.rpm.source", equalTo("quotaValue of GenerateRequestsPerMinutePerProjectPerModel"))
                .body(pro + "stated.ipm", nullValue())
                .body(pro + "learned.rpm.rate", equalTo(7))
                .body(pro + "learned.rpm.heldBelow", equalTo(10))
                .body(pro + "learned.rpm.phase", equalTo("rising"))
                .body(pro + "learned.spread", equalTo(true))
                .body(pro + "learned.last429.reason", equalTo("rate_limited: gemini 429 RESOURCE_EXHAUSTED"))
                .body(pro + "appliedLimits.rpm", equalTo(7))
                .body(pro + "appliedLimits.ipm", equalTo(10_000))
                .body(pro + "used.requestsLastMinute", equalTo(2))
                .body(pro + "used.requestsToday", equalTo(3))
                .body(pro + "cooldownReason", equalTo("429: per minute"))
                .body("accounts.find { it.model == 'gpt-image-1.5' }.used.requestsLastMinute", equalTo(0))
                .body("accounts.find { it.model == 'gpt-image-1.5' }.learned.last429", nullValue())
                .body("accounts.find { it.model == 'gpt-image-1.5' }.learned.spread", equalTo(false))
                .body("accounts.find { it.model == 'gpt-image-1.5' }.coolingDownUntil", nullValue());
    }

    @Test
    void showsTheBatchLanesEnqueuedTokensItsLimitLearnedFromARefusalAndOpenBatches() {
        var batches = new DynamoDbBatchStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("BatchesTable"),
                Duration.ofDays(1));
        batches.create(BatchRecord.intended(UUID.randomUUID().toString(), "simulated", "gemini-3.1-flash-image", List.of("j1", "j2"), 2_584,
                Instant.now()));
        batches.learnLimit("simulated", "gemini-3.1-flash-image", new LearnedBatchLimit(2_584, Instant.now(), "429 RESOURCE_EXHAUSTED"));

        String flash = "accounts.find { it.model == 'gemini-3.1-flash-image' }.";
        given().when().get("/v1/quota")
                .then().statusCode(200)
                .body(flash + "batch.enqueuedTokens", equalTo(2_584))
                .body(flash + "batch.enqueuedTokensLimit", equalTo(2_584))
                .body(flash + "batch.limitSource", equalTo("learned"))
                .body(flash + "batch.declaredEnqueuedTokens", nullValue())
                .body(flash + "batch.learned.reason", equalTo("429 RESOURCE_EXHAUSTED"))
                .body(flash + "batch.openBatches", equalTo(1))
                .body(flash + "batch.maxOpenBatches", equalTo(100))
                .body(flash + "used.requestsToday", equalTo(0))
                .body("accounts.find { it.model == 'gpt-image-1.5' }.batch.enqueuedTokens", equalTo(0))
                .body("accounts.find { it.model == 'gpt-image-1.5' }.batch.enqueuedTokensLimit", nullValue());
    }
}
