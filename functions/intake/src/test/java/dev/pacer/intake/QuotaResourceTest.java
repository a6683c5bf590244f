package dev.pacer.intake;

import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.core.quota.Cooldown;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.Grant;
import dev.pacer.core.quota.QuotaWindows;
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
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class QuotaResourceTest {

    @Test
    void reportsEachAccountAndModelWithLimitsUseInTheCurrentWindowsAndCooldown() {
        Instant now = Instant.now();
        var store = new DynamoDbQuotaStateStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("QuotaTable"));
        store.replace("simulated", "gemini-3-pro-image", 0, new WindowState(0, List.of(
                        new Grant("g1", now.minusSeconds(90), new Demand(1, 1, 0), now.minusSeconds(90)),
                        new Grant("g2", now.minusSeconds(10), new Demand(2, 2, 0), now.minusSeconds(10))),
                        QuotaWindows.providerDay(now, ZoneId.of("UTC")), 3,
                        Optional.of(new Cooldown(now.plusSeconds(30), "429: per minute"))),
                now.plus(Duration.ofDays(2)));

        given().when().get("/v1/quota")
                .then().statusCode(200)
                .body("accounts.model", hasItems("gemini-3.1-flash-image", "gemini-3-pro-image", "gpt-image-1.5"))
                .body("accounts.find { it.model == 'gemini-3-pro-image' }.account", equalTo("simulated"))
                .body("accounts.find { it.model == 'gemini-3-pro-image' }.limits.rpm", equalTo(10_000))
                .body("accounts.find { it.model == 'gemini-3-pro-image' }.limits.tpm", nullValue())
                .body("accounts.find { it.model == 'gemini-3-pro-image' }.used.requestsLastMinute", equalTo(2))
                .body("accounts.find { it.model == 'gemini-3-pro-image' }.used.requestsToday", equalTo(3))
                .body("accounts.find { it.model == 'gemini-3-pro-image' }.cooldownReason", equalTo("429: per minute"))
                .body("accounts.find { it.model == 'gpt-image-1.5' }.used.requestsLastMinute", equalTo(0))
                .body("accounts.find { it.model == 'gpt-image-1.5' }.coolingDownUntil", nullValue());
    }
}
