package dev.pacer.aws.catalog;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelRetiredException;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.usecase.PriceTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled catalog as shipped, and an operator's override from a file or an SSM parameter (moto) on top of it. */
class ModelCatalogsTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static final Supplier<SsmClient> NO_SSM = () -> {
        throw new AssertionError("no SSM unless a parameter is named and no file is");
    };

    @Test
    void theBundledCatalogListsTheLiveModelsTheirAliasesAndTheRetiredIds() {
        ModelCatalog catalog = ModelCatalogs.bundled();

        assertEquals(List.of("gemini-3.1-flash-image", "gemini-3-pro-image", "gemini-3.1-flash-lite-image", "gemini-2.5-flash-image",
                "gpt-image-1.5", "gpt-image-1-mini", "amazon.nova-canvas-v1:0"), catalog.names());
        assertEquals("gemini-3.1-flash-image", catalog.defaultModel().id());
        assertEquals(Map.of("nano-banana", "gemini-2.5-flash-image", "nano-banana-2", "gemini-3.1-flash-image",
                "nano-banana-pro", "gemini-3-pro-image"), catalog.aliases());
        assertEquals("gemini-3.1-flash-image", catalog.retired().get("gemini-3.1-flash-image-preview").successor());
        assertEquals("gemini-3-pro-image", catalog.retired().get("gemini-3-pro-image-preview").successor());
        assertEquals(LocalDate.parse("2026-06-25"), catalog.retired().get("gemini-3-pro-image-preview").retiredOn());
        assertEquals("gpt-image-1.5", catalog.retired().get("gpt-image-1").successor());
        assertEquals(LocalDate.parse("2026-10-23"), catalog.retired().get("gpt-image-1").retiredOn());

        ModelSpec flash = catalog.defaultModel();
        assertEquals(List.of(Resolution.HALF_K, Resolution.ONE_K, Resolution.TWO_K, Resolution.FOUR_K), flash.resolutions());
        assertTrue(flash.aspectRatios().containsAll(List.of("1:4", "4:1", "1:8", "8:1")), "3.1 Flash's extreme ratios");
        assertFalse(catalog.find("gemini-3-pro-image").orElseThrow().aspectRatios().contains("1:8"));
        assertFalse(catalog.find("gemini-2.5-flash-image").orElseThrow().takesImageSize());
        assertEquals(Optional.of(1290), catalog.find("gemini-2.5-flash-image").orElseThrow().outputTokensPerImage(Resolution.ONE_K));
    }

    @Test
    void theBundledPricesAreTheSeedsAndTheBatchLaneCostsHalf() {
        PriceTable prices = PriceTable.of(ModelCatalogs.bundled());

        assertEquals(0, new BigDecimal("0.067").compareTo(prices.estimate("gemini-3.1-flash-image", Resolution.ONE_K, 1)));
        assertEquals(0, new BigDecimal("0.24").compareTo(prices.estimate("gemini-3-pro-image", Resolution.FOUR_K, 1)));
        assertEquals(0, new BigDecimal("0.078").compareTo(prices.estimate("gemini-2.5-flash-image", Resolution.ONE_K, 2)));
        assertEquals(0, new BigDecimal("0.0335").compareTo(prices.batchEstimate("gemini-3.1-flash-image", Resolution.ONE_K, 1)));
        assertFalse(prices.lists("gemini-3.1-flash-lite-image", Resolution.ONE_K), "no published price, none made up");
    }

    @Test
    void withoutAnOverrideTheBundledCatalogIsServed() {
        ConfiguredCatalog configured = ModelCatalogs.configured(Optional.empty(), Optional.of(" "), NO_SSM);

        assertEquals(ModelCatalogs.bundled().names(), configured.catalog().names());
        assertEquals("models.json", configured.sources());
    }

    @Test
    void anOverrideFileReplacesAndAddsModelsAliasesRetirementsAndTheDefault(@TempDir Path dir) throws Exception {
        Path override = dir.resolve("catalog.json");
        Files.writeString(override, """
                {"default": "house-style",
                 "models": {
                   "gemini-3-pro-image": {"provider": "gemini", "resolutions": {"1K": {"usd": {"sync": 0.12}}}, "aspectRatios": ["1:1"]},
                   "gemini-4-flash-image": {"provider": "gemini", "resolutions": {"2K": {"outputTokens": 1500}}, "aspectRatios": ["16:9"]}},
                 "aliases": {"house-style": "gemini-4-flash-image"},
                 "retired": {"gemini-2.5-flash-image": {"successor": "gemini-3.1-flash-image", "retiredOn": "2027-01-31"}}}
                """);

        ConfiguredCatalog configured = ModelCatalogs.configured(Optional.of(override.toString()), Optional.of("/ignored"), NO_SSM);
        ModelCatalog catalog = configured.catalog();

        assertEquals("models.json overridden by " + override, configured.sources());
        assertEquals("gemini-4-flash-image", catalog.defaultModel().id());
        assertEquals(List.of(Resolution.ONE_K), catalog.find("gemini-3-pro-image").orElseThrow().resolutions(), "replaced whole");
        assertEquals(0, new BigDecimal("0.12").compareTo(PriceTable.of(catalog).estimate("gemini-3-pro-image", Resolution.ONE_K, 1)));
        assertEquals("gemini-3-pro-image", catalog.require("model", "nano-banana-pro").id(), "bundled aliases stay");
        ModelRetiredException retired = assertThrows(ModelRetiredException.class, () -> catalog.require("model", "nano-banana"));
        assertEquals("gemini-3.1-flash-image", retired.retirement().successor());
        assertTrue(catalog.find("gpt-image-1.5").isPresent(), "what the override does not name is the bundled catalog's");
    }

    @Test
    void anOverrideThatBreaksTheCatalogNamesTheFilesAndTheEntry(@TempDir Path dir) throws Exception {
        Path override = dir.resolve("catalog.json");
        Files.writeString(override, "{\"default\": \"gpt-image-1\"}");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalogs.configured(Optional.of(override.toString()), Optional.empty(), NO_SSM));

        assertEquals("model catalog (models.json overridden by " + override + "): \"default\": \"gpt-image-1\" was retired on 2026-10-23; "
                + "name a live model, such as its successor \"gpt-image-1.5\"", error.getMessage());
    }

    @Test
    void aMistakeInTheOverrideFileNamesTheFile(@TempDir Path dir) throws Exception {
        Path override = dir.resolve("catalog.json");
        Files.writeString(override, "{\"models\": {\"gpt-image-1.5\": {\"provider\": \"openai\", \"aspectRatios\": [\"1:1\"]}}}");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalogs.configured(Optional.of(override.toString()), Optional.empty(), NO_SSM));

        assertEquals(override + ": gpt-image-1.5: \"resolutions\" is required", error.getMessage());
    }

    @Test
    void deployedTheOverrideComesFromAnSsmParameter() {
        try (SsmClient ssm = SsmClient.builder().endpointOverride(moto.server().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            ssm.putParameter(put -> put.name("/pacer/catalog").type(ParameterType.STRING)
                    .value("{\"aliases\": {\"house-style\": \"gemini-3-pro-image\"}}"));

            ConfiguredCatalog configured = ModelCatalogs.configured(Optional.empty(), Optional.of("/pacer/catalog"), () -> ssm);

            assertEquals("gemini-3-pro-image", configured.catalog().require("model", "house-style").id());
            assertEquals("models.json overridden by SSM parameter /pacer/catalog", configured.sources());
        }
    }
}
