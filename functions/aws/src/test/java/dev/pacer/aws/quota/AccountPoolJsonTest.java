package dev.pacer.aws.quota;

import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.ModelLimits;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountPoolJsonTest {

    @Test
    void theDocumentedExampleOfTwoGeminiProjectsAndOneOpenAiOrganisationLoads() throws Exception {
        Path example = Path.of(System.getProperty("pacer.root", "../.."), "docs", "accounts.example.json");

        AccountPool pool = AccountPools.named(Optional.of(example.toString()), Optional.empty(), () -> {
            throw new AssertionError("no SSM when a file is given");
        }).orElseThrow();

        assertEquals(3, pool.accounts().size());
        assertEquals(2, pool.serving("gemini-3.1-flash-image").size());
        Account b = pool.find("gemini-project-b").orElseThrow();
        assertEquals("https://generativelanguage.googleapis.com", b.baseUrl().toString(), "the provider's default base URL");
        assertEquals(ZoneId.of("America/Los_Angeles"), b.dayResetZone());
        assertEquals(ModelLimits.of(18, 18, 225), b.effectiveLimits("gemini-3.1-flash-image").orElseThrow(), "10 % margin");
        Account openai = pool.find("openai-org-main").orElseThrow();
        assertEquals(Optional.of(Duration.ofSeconds(1)), openai.smoothing());
        assertEquals(Optional.of(10), openai.limits("gpt-image-1.5").orElseThrow().maxConcurrent());
        assertEquals(ZoneId.of("UTC"), openai.dayResetZone());
        assertEquals("secretsmanager:pacer/openai/org-main", openai.keyRef());
        assertTrue(Files.readString(example).contains("gemini-project-a"));
        Account a = pool.find("gemini-project-a").orElseThrow();
        assertEquals(Optional.of(2_000_000L), a.limits("gemini-3-pro-image").orElseThrow().batchEnqueuedTokens());
        assertEquals(Optional.of(1_800_000L), a.effectiveLimits("gemini-3-pro-image").orElseThrow().batchEnqueuedTokens(), "10 % margin");
        assertEquals(Optional.of(100), a.batchMaxOpen());
        assertEquals(Optional.empty(), b.batchMaxOpen(), "not declared: the lane's own bound");
        assertEquals(Optional.empty(), b.limits("gemini-3.1-flash-image").orElseThrow().batchEnqueuedTokens(), "not declared: not limited");
    }

    @Test
    void theBatchLanesLimitsAreWholePositiveNumbersAndMayPassTwoBillion() {
        Account account = AccountPoolJson.parse("""
                {"accounts":[{"id":"a","provider":"openai","batchMaxOpen":3,"models":{"gpt-image-1.5":{"batchEnqueuedTokens":5000000000}}}]}
                """, "test").accounts().get(0);
        assertEquals(Optional.of(5_000_000_000L), account.limits("gpt-image-1.5").orElseThrow().batchEnqueuedTokens());
        assertEquals(Optional.of(3), account.batchMaxOpen());

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> AccountPoolJson.parse("""
                {"accounts":[{"id":"a","provider":"gemini","models":{"m":{"batchEnqueuedTokens":0}}}]}
                """, "test"));
        assertTrue(zero.getMessage().contains("a/m: \"batchEnqueuedTokens\" must be a whole number"), zero.getMessage());
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class, () -> AccountPoolJson.parse("""
                {"accounts":[{"id":"a","provider":"gemini","batchMaxOpen":1.5,"models":{"m":{}}}]}
                """, "test"));
        assertTrue(half.getMessage().contains("\"batchMaxOpen\""), half.getMessage());
    }

    @Test
    void aKeyWrittenIntoThePoolIsRefusedNotIgnored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccountPoolJson.parse("""
                {"accounts":[{"id":"a","provider":"gemini","apiKey":"AIza-secret","models":{"m":{"rpm":1,"ipm":1,"rpd":1}}}]}
                """, "test"));
        assertTrue(e.getMessage().contains("keyRef"), e.getMessage());
    }

    @Test
    void anyLimitMayBeLeftOutAndAModelMayDeclareNothing() {
        AccountPool pool = AccountPoolJson.parse("""
                {"accounts":[{"id":"a","provider":"gemini","models":{"gemini-3.1-flash-image":{},"m":{"rpm":20,"tpm":100000}}}]}
                """, "test");

        Account account = pool.accounts().get(0);
        assertEquals(Optional.of(ModelLimits.NONE), account.limits("gemini-3.1-flash-image"), "declares nothing: pacer learns");
        assertEquals(new ModelLimits(Optional.of(20), Optional.empty(), Optional.empty(), Optional.of(100_000), Optional.empty()),
                account.limits("m").orElseThrow());
    }

    @Test
    void aLimitThatIsNoWholePositiveNumberOrAnUnknownFieldIsNamed() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> AccountPoolJson.parse("""
                {"accounts":[{"id":"a","provider":"gemini","models":{"m":{"rpm":0}}}]}
                """, "test"));
        assertTrue(zero.getMessage().contains("a/m: \"rpm\" must be a whole number of at least 1, or left out"), zero.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> AccountPoolJson.parse("""
                {"accounts":[{"id":"a","provider":"gemini","rpmm":3,"models":{"m":{"rpm":1,"ipm":1,"rpd":1}}}]}
                """, "test"));
        assertTrue(unknown.getMessage().contains("rpmm"), unknown.getMessage());
        IllegalArgumentException unknownLimit = assertThrows(IllegalArgumentException.class, () -> AccountPoolJson.parse("""
                {"accounts":[{"id":"a","provider":"gemini","models":{"m":{"RPM":1}}}]}
                """, "test"));
        assertTrue(unknownLimit.getMessage().contains("unknown limit \"RPM\""), unknownLimit.getMessage());
    }

    @Test
    void withoutAFileOrParameterNoPoolIsNamed() {
        assertEquals(Optional.empty(), AccountPools.named(Optional.empty(), Optional.of(" "), () -> {
            throw new AssertionError("no SSM");
        }));
    }

    @Test
    void theSimulatedAccountServesEveryModel() {
        AccountPool pool = AccountPools.simulated(ModelCatalogs.bundled());

        assertEquals(1, pool.accounts().size());
        for (String model : ModelCatalogs.bundled().names()) {
            assertEquals(1, pool.serving(model).size(), model);
        }
    }
}
