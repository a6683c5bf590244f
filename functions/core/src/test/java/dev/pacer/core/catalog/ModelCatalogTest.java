package dev.pacer.core.catalog;

import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.usecase.PriceTable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static dev.pacer.core.catalog.TestCatalog.FLASH;
import static dev.pacer.core.catalog.TestCatalog.FLASH_25;
import static dev.pacer.core.catalog.TestCatalog.GPT_IMAGE;
import static dev.pacer.core.catalog.TestCatalog.PRO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCatalogTest {

    private final ModelCatalog catalog = TestCatalog.standard();

    @Test
    void findsAModelByIdAndByAlias() {
        assertEquals(FLASH, catalog.require("model", FLASH).id());
        assertEquals(FLASH, catalog.require("model", "nano-banana-2").id());
        assertEquals(PRO, catalog.resolve("nano-banana-pro").orElseThrow().id());
        assertTrue(catalog.find("nano-banana-2").isEmpty(), "an alias is not an id");
    }

    @Test
    void aRetiredIdIsRefusedNamingItsSuccessorAndTheDay() {
        ModelRetiredException refused = assertThrows(ModelRetiredException.class,
                () -> catalog.require("model", "gemini-3-pro-image-preview"));

        assertEquals("model", refused.field());
        assertEquals(PRO, refused.retirement().successor());
        assertEquals(LocalDate.parse("2026-06-25"), refused.retirement().retiredOn());
        assertEquals("gemini-3-pro-image-preview was retired on 2026-06-25; use gemini-3-pro-image instead", refused.reason());
        assertTrue(catalog.resolve("gemini-3-pro-image-preview").isEmpty());
    }

    @Test
    void anAliasOfARetiredIdIsRefusedLikeTheId() {
        CatalogEntries aliased = TestCatalog.entries().overriddenBy(aliases(Map.of("old-flash", "gemini-3.1-flash-image-preview")));

        ModelRetiredException refused = assertThrows(ModelRetiredException.class,
                () -> ModelCatalog.of(aliased).require("model", "old-flash"));

        assertEquals("old-flash (gemini-3.1-flash-image-preview) was retired on 2026-06-25; use gemini-3.1-flash-image instead",
                refused.reason());
    }

    @Test
    void anUnknownModelIsRefusedNamingTheModelsAndAliases() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> catalog.require("model", "dall-e-9"));

        assertFalse(refused instanceof ModelRetiredException);
        assertTrue(refused.reason().startsWith("unknown model 'dall-e-9'; supported: " + FLASH + ", " + PRO), refused.reason());
        assertTrue(refused.reason().endsWith("aliases: nano-banana, nano-banana-2, nano-banana-pro"), refused.reason());
    }

    @Test
    void theDefaultIsALiveModelAndMayBeNamedByAlias() {
        assertEquals(FLASH, catalog.defaultModel().id());

        ModelCatalog byAlias = ModelCatalog.of(TestCatalog.entries().overriddenBy(withDefault("nano-banana-pro")));
        assertEquals(PRO, byAlias.defaultModel().id());
    }

    @Test
    void aRetiredDefaultIsAnErrorNamingTheSuccessor() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalog.of(TestCatalog.entries().overriddenBy(withDefault("gpt-image-1"))));

        assertEquals("\"default\": \"gpt-image-1\" was retired on 2026-10-23; name a live model, such as its successor \"gpt-image-1.5\"",
                error.getMessage());
    }

    @Test
    void everyNameMustLeadToAModel() {
        assertEquals("\"default\": \"dall-e-9\" is not a model of the catalog", error(entries -> entries.overriddenBy(withDefault("dall-e-9"))));
        assertEquals("\"default\" is required", error(entries -> new CatalogEntries(entries.models(), entries.aliases(),
                entries.retired(), Optional.empty(), entries.providerDefaults())));
        assertEquals("aliases: \"banana\" names \"dall-e-9\", which is not a model of the catalog",
                error(entries -> entries.overriddenBy(aliases(Map.of("banana", "dall-e-9")))));
        assertEquals("retired: gpt-image-0: \"successor\" \"dall-e-9\" is not a model of the catalog",
                error(entries -> entries.overriddenBy(retired(new Retirement("gpt-image-0", "dall-e-9", LocalDate.parse("2025-01-01"))))));
    }

    @Test
    void aNameIsOnlyOneOfModelAliasAndRetiredId() {
        assertEquals("\"" + FLASH + "\" is both a model and an alias",
                error(entries -> entries.overriddenBy(aliases(Map.of(FLASH, PRO)))));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new CatalogEntries(
                Map.of(FLASH, TestCatalog.standard().find(FLASH).orElseThrow()), Map.of(),
                Map.of(FLASH, new Retirement(FLASH, PRO, LocalDate.parse("2026-01-01"))), Optional.of(FLASH), Map.of()));
        assertEquals("\"" + FLASH + "\" is both a model and a retired id", both.getMessage());
    }

    @Test
    void aModelSaysWhichFieldIsWrong() {
        IllegalArgumentException noResolutions = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.unpriced("my-model", "gemini", List.of(), List.of("1:1")));
        assertEquals("my-model: \"resolutions\" must name at least one resolution", noResolutions.getMessage());

        IllegalArgumentException badRatio = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.unpriced("my-model", "gemini", List.of(Resolution.ONE_K), List.of("16x9")));
        assertEquals("my-model: aspect ratio \"16x9\" is not of the form W:H (e.g. 16:9)", badRatio.getMessage());

        IllegalArgumentException noProvider = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.unpriced("my-model", " ", List.of(Resolution.ONE_K), List.of("1:1")));
        assertEquals("my-model: \"provider\" is required", noProvider.getMessage());
    }

    @Test
    void anOverrideReplacesAModelWholeAndAddsNewOnes() {
        ModelSpec cheaperPro = TestCatalog.model(PRO, "gemini", List.of("1:1"), true, Map.of(Resolution.ONE_K, "0.1"));
        ModelSpec newModel = TestCatalog.model("gemini-4-flash-image", "gemini", List.of("1:1", "16:9"), true, Map.of(Resolution.TWO_K, "0.05"));

        ModelCatalog merged = ModelCatalog.of(TestCatalog.entries().overriddenBy(models(cheaperPro, newModel)));

        assertEquals(List.of(Resolution.ONE_K), merged.find(PRO).orElseThrow().resolutions());
        assertEquals(List.of("1:1"), merged.find(PRO).orElseThrow().aspectRatios());
        assertEquals("gemini-4-flash-image", merged.require("model", "gemini-4-flash-image").id());
        assertEquals(PRO, merged.require("model", "nano-banana-pro").id(), "the bundled alias still leads to the replaced model");
        assertEquals(FLASH, merged.defaultModel().id());
    }

    @Test
    void anOverrideMayRetireABundledModelAndBringARetiredIdBack() {
        CatalogEntries override = new CatalogEntries(
                Map.of("gpt-image-1", TestCatalog.model("gpt-image-1", "openai", List.of("1:1"), true, Map.of(Resolution.ONE_K, "0.167"))),
                Map.of(), Map.of(FLASH_25, new Retirement(FLASH_25, FLASH, LocalDate.parse("2027-01-31"))), Optional.empty(), Map.of());

        ModelCatalog merged = ModelCatalog.of(TestCatalog.entries().overriddenBy(override));

        assertEquals("gpt-image-1", merged.require("model", "gpt-image-1").id(), "a proxy that still serves it");
        assertThrows(ModelRetiredException.class, () -> merged.require("model", FLASH_25));
        ModelRetiredException viaAlias = assertThrows(ModelRetiredException.class, () -> merged.require("model", "nano-banana"));
        assertEquals(FLASH, viaAlias.retirement().successor());
    }

    @Test
    void anOverrideMayAddAliasesAndChangeTheDefault() {
        CatalogEntries override = new CatalogEntries(Map.of(), Map.of("house-style", PRO, "nano-banana-2", PRO), Map.of(),
                Optional.of(GPT_IMAGE), Map.of());

        ModelCatalog merged = ModelCatalog.of(TestCatalog.entries().overriddenBy(override));

        assertEquals(PRO, merged.require("model", "house-style").id());
        assertEquals(PRO, merged.require("model", "nano-banana-2").id(), "the override's alias replaces the bundled one");
        assertEquals(GPT_IMAGE, merged.defaultModel().id());
    }

    @Test
    void aModelOnlyThePoolNamesIsServedAsNamedWithTheProvidersUsualShapes() {
        AccountPool pool = new AccountPool(List.of(account("project-a", "gemini", FLASH, "gemini-3.5-flash-image")));

        ModelCatalog served = catalog.servingPool(pool);

        ModelSpec poolOnly = served.require("model", "gemini-3.5-flash-image");
        assertEquals("gemini", poolOnly.provider());
        assertEquals("gemini-3.5-flash-image", poolOnly.providerModel());
        assertEquals(List.of(Resolution.ONE_K, Resolution.TWO_K, Resolution.FOUR_K), poolOnly.resolutions());
        assertEquals(TestCatalog.GEMINI_RATIOS, poolOnly.aspectRatios());
        assertTrue(poolOnly.pricePerImage(Resolution.ONE_K).isEmpty());
        assertTrue(poolOnly.outputTokensPerImage(Resolution.ONE_K).isEmpty());
        assertEquals(BigDecimal.ZERO, PriceTable.of(served).estimate("gemini-3.5-flash-image", Resolution.ONE_K, 2));
        assertEquals(List.of("account project-a names gemini-3.5-flash-image, which the catalog lacks: served as named by gemini "
                + "with its usual resolutions and aspect ratios, without price or token estimates"), catalog.poolNotes(pool));
        assertTrue(catalog.find("gemini-3.5-flash-image").isEmpty(), "the catalog itself is unchanged");
    }

    @Test
    void retiredIdsAliasesAndUnknownProvidersInThePoolAreNotedAndNotServed() {
        AccountPool pool = new AccountPool(List.of(
                account("project-a", "gemini", "gemini-3-pro-image-preview", "nano-banana-2"),
                account("elsewhere", "midjourney", "v7")));

        ModelCatalog served = catalog.servingPool(pool);

        assertThrows(ModelRetiredException.class, () -> served.require("model", "gemini-3-pro-image-preview"));
        assertEquals(FLASH, served.require("model", "nano-banana-2").id());
        assertTrue(served.find("v7").isEmpty());
        assertEquals(List.of(
                "account project-a names gemini-3-pro-image-preview, retired on 2026-06-25: submissions for it are refused; "
                        + "name gemini-3-pro-image instead",
                "account project-a names nano-banana-2, an alias: jobs are recorded as gemini-3.1-flash-image, so these limits "
                        + "are never used; name gemini-3.1-flash-image instead",
                "account elsewhere names v7, which the catalog lacks, and the catalog has no \"providerDefaults\" for midjourney: "
                        + "it is not served"), catalog.poolNotes(pool));
    }

    @Test
    void pricesComeFromTheCatalogWithBatchAtHalfUnlessGiven() {
        ModelSpec ownBatch = new ModelSpec("batchy", "openai", "batchy",
                Map.of(Resolution.ONE_K, new ModelSpec.PerImage(Optional.of(4160),
                        Optional.of(new ImagePrice(new BigDecimal("0.10"), new BigDecimal("0.07"))))),
                List.of("1:1"), true);
        PriceTable prices = PriceTable.of(ModelCatalog.of(TestCatalog.entries().overriddenBy(models(ownBatch))));

        assertEquals(new BigDecimal("0.134"), prices.estimate(FLASH, Resolution.ONE_K, 2));
        assertEquals(0, new BigDecimal("0.067").compareTo(prices.batchEstimate(FLASH, Resolution.ONE_K, 2)));
        assertEquals(0, new BigDecimal("0.14").compareTo(prices.batchEstimate("batchy", Resolution.ONE_K, 2)));
        assertEquals(BigDecimal.ZERO, prices.estimate(FLASH_25, Resolution.FOUR_K, 1));
        assertFalse(prices.lists(FLASH_25, Resolution.FOUR_K));
    }

    @Test
    void tokensPerImageAreReadPerResolution() {
        ModelSpec spec = new ModelSpec("tokens", "gemini", "tokens",
                Map.of(Resolution.ONE_K, new ModelSpec.PerImage(Optional.of(1290), Optional.empty())), List.of("1:1"), false);

        assertEquals(Optional.of(1290), spec.outputTokensPerImage(Resolution.ONE_K));
        assertEquals(Optional.empty(), spec.outputTokensPerImage(Resolution.TWO_K));
    }

    private static String error(UnaryOperator<CatalogEntries> change) {
        return assertThrows(IllegalArgumentException.class, () -> ModelCatalog.of(change.apply(TestCatalog.entries()))).getMessage();
    }

    private static CatalogEntries withDefault(String model) {
        return new CatalogEntries(Map.of(), Map.of(), Map.of(), Optional.of(model), Map.of());
    }

    private static CatalogEntries aliases(Map<String, String> aliases) {
        return new CatalogEntries(Map.of(), aliases, Map.of(), Optional.empty(), Map.of());
    }

    private static CatalogEntries retired(Retirement retirement) {
        return new CatalogEntries(Map.of(), Map.of(), Map.of(retirement.id(), retirement), Optional.empty(), Map.of());
    }

    private static CatalogEntries models(ModelSpec... specs) {
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (ModelSpec spec : specs) {
            models.put(spec.id(), spec);
        }
        return new CatalogEntries(models, Map.of(), Map.of(), Optional.empty(), Map.of());
    }

    private static Account account(String id, String provider, String... models) {
        Map<String, ModelLimits> limits = new LinkedHashMap<>();
        for (String model : models) {
            limits.put(model, ModelLimits.of(10, 10, 100));
        }
        return new Account(id, provider, URI.create("https://example.invalid"), "none", limits, 0.0, ZoneOffset.UTC, Optional.empty());
    }
}
