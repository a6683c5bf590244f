package dev.pacer.aws.catalog;

import dev.pacer.core.catalog.CatalogEntries;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.Resolution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of mistake in a catalog document, each named by the document, the entry and the field. */
class CatalogJsonTest {

    private static final String GOOD_MODEL = """
            {"provider": "openai", "resolutions": {"1K": {"outputTokens": 4160, "usd": {"sync": 0.133}}}, "aspectRatios": ["1:1"]}""";

    @Test
    void readsAModelWithItsFiguresPerResolution() {
        CatalogEntries entries = CatalogJson.parse("""
                {"default": "gpt-image-1.5",
                 "models": {"gpt-image-1.5": %s,
                            "flash": {"provider": "gemini", "providerModel": "gemini-3.1-flash-image", "takesImageSize": false,
                                      "resolutions": {"2K": {"usd": {"sync": 0.1, "batch": 0.04}}, "0.5K": {}},
                                      "aspectRatios": ["16:9", "1:1"]}},
                 "aliases": {"gpt": "gpt-image-1.5"},
                 "retired": {"gpt-image-1": {"successor": "gpt-image-1.5", "retiredOn": "2026-10-23"}}}
                """.formatted(GOOD_MODEL), "models.json");

        ModelSpec gpt = entries.models().get("gpt-image-1.5");
        assertEquals("gpt-image-1.5", gpt.providerModel(), "the provider's id is the model's unless given");
        assertTrue(gpt.takesImageSize());
        assertEquals(Optional.of(4160), gpt.outputTokensPerImage(Resolution.ONE_K));
        assertEquals(0, new BigDecimal("0.133").compareTo(gpt.pricePerImage(Resolution.ONE_K).orElseThrow().sync()));
        assertEquals(0, new BigDecimal("0.0665").compareTo(gpt.pricePerImage(Resolution.ONE_K).orElseThrow().batch()),
                "the batch lane at half the sync price when not given");

        ModelSpec flash = entries.models().get("flash");
        assertEquals("gemini-3.1-flash-image", flash.providerModel());
        assertFalse(flash.takesImageSize());
        assertEquals(java.util.List.of(Resolution.HALF_K, Resolution.TWO_K), flash.resolutions());
        assertEquals(0, new BigDecimal("0.04").compareTo(flash.pricePerImage(Resolution.TWO_K).orElseThrow().batch()));
        assertTrue(flash.pricePerImage(Resolution.HALF_K).isEmpty());
        assertEquals(java.util.List.of("16:9", "1:1"), flash.aspectRatios());

        assertEquals("gpt-image-1.5", entries.aliases().get("gpt"));
        assertEquals(LocalDate.parse("2026-10-23"), entries.retired().get("gpt-image-1").retiredOn());
        assertEquals(Optional.of("gpt-image-1.5"), entries.defaultModel());
    }

    @Test
    void readsWhatAModelTakesForEdits() {
        CatalogEntries entries = CatalogJson.parse("""
                {"models": {"edits": {"provider": "openai", "resolutions": {"1K": {}}, "aspectRatios": ["1:1"],
                  "maxInputImages": 16, "maxInputBytes": 52428799, "acceptsMask": true, "maxMaskBytes": 4194303,
                  "inputTokensPerImage": 1500, "inputFidelity": true, "inputTokenUsdPerMillion": 8, "maxTotalInputBytes": 100}},
                 "default": "edits"}
                """, "models.json");

        assertEquals(new dev.pacer.core.catalog.InputLimits(16, 52428799, true, 4194303, 1500, true, Optional.of(new java.math.BigDecimal("8")),
                100), entries.models().get("edits").inputs());
        assertEquals(dev.pacer.core.catalog.InputLimits.NONE, CatalogJson.parse("""
                {"models": {"plain": {"provider": "bedrock", "resolutions": {"1K": {}}, "aspectRatios": ["1:1"]}}}
                """, "models.json").models().get("plain").inputs());
    }

    @Test
    void aMaskWithoutInputsOrAnInputLimitOfTheWrongTypeIsAnError() {
        IllegalArgumentException mask = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse("""
                {"models": {"m": {"provider": "openai", "resolutions": {"1K": {}}, "aspectRatios": ["1:1"], "acceptsMask": true}}}
                """, "models.json"));
        assertTrue(mask.getMessage().startsWith("models.json: m: \"acceptsMask\" needs"), mask::getMessage);
        IllegalArgumentException count = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse("""
                {"models": {"m": {"provider": "gemini", "resolutions": {"1K": {}}, "aspectRatios": ["1:1"], "maxInputImages": "14"}}}
                """, "models.json"));
        assertTrue(count.getMessage().contains("\"maxInputImages\" must be a whole number"), count::getMessage);
    }

    @Test
    void anOverrideMaySayOnlyWhatItChanges() {
        CatalogEntries entries = CatalogJson.parse("{\"aliases\": {\"house\": \"gemini-3-pro-image\"}}", "override.json");

        assertTrue(entries.models().isEmpty());
        assertEquals(Optional.empty(), entries.defaultModel());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("not JSON", "{\"models\": ", "models.json: not valid JSON: "),
                Arguments.of("not an object", "[]", "models.json: the document must be a JSON object"),
                Arguments.of("a name given twice", "{\"default\": \"a\", \"default\": \"b\"}", "models.json: not valid JSON: Duplicate field 'default'"),
                Arguments.of("a typo at the top", "{\"defualt\": \"gpt-image-1.5\"}",
                        "models.json: unknown field \"defualt\"; known: note, default, models, aliases, retired, providerDefaults"),
                Arguments.of("a required field missing", "{\"models\": {\"gpt-image-1.5\": {\"provider\": \"openai\", \"aspectRatios\": [\"1:1\"]}}}",
                        "models.json: gpt-image-1.5: \"resolutions\" is required"),
                Arguments.of("no provider", "{\"models\": {\"gpt-image-1.5\": {\"resolutions\": {\"1K\": {}}, \"aspectRatios\": [\"1:1\"]}}}",
                        "models.json: gpt-image-1.5: \"provider\" is required"),
                Arguments.of("a typo in a model", "{\"models\": {\"gpt-image-1.5\": {\"provider\": \"openai\", \"resolution\": {}}}}",
                        "models.json: gpt-image-1.5: unknown field \"resolution\"; known: provider, providerModel, note, resolutions, aspectRatios, takesImageSize"),
                Arguments.of("no resolutions", model("\"resolutions\": {}, \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: \"resolutions\" must name at least one resolution"),
                Arguments.of("resolutions as a list", model("\"resolutions\": [\"1K\"], \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: \"resolutions\" must be an object of resolution to its figures"),
                Arguments.of("an unknown resolution", model("\"resolutions\": {\"3K\": {}}, \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: resolutions: \"3K\" is not a resolution; one of 0.5K, 1K, 2K, 4K"),
                Arguments.of("a typo in a resolution", model("\"resolutions\": {\"1K\": {\"outputToken\": 5}}, \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: resolutions: 1K: unknown field \"outputToken\"; known: outputTokens, usd"),
                Arguments.of("tokens not a whole number", model("\"resolutions\": {\"1K\": {\"outputTokens\": 12.5}}, \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: resolutions: 1K: \"outputTokens\" must be a whole number of at least 1, not 12.5"),
                Arguments.of("a price as a bare number", model("\"resolutions\": {\"1K\": {\"usd\": 0.1}}, \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: resolutions: 1K: usd: must be an object: the price per image on each lane"),
                Arguments.of("a negative price", model("\"resolutions\": {\"1K\": {\"usd\": {\"sync\": -1}}}, \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: resolutions: 1K: usd: \"sync\" must be a number of USD per image, at least 0, not -1"),
                Arguments.of("a price as a string", model("\"resolutions\": {\"1K\": {\"usd\": {\"sync\": \"0.1\"}}}, \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: resolutions: 1K: usd: \"sync\" must be a number of USD per image"),
                Arguments.of("a batch price alone", model("\"resolutions\": {\"1K\": {\"usd\": {\"batch\": 0.1}}}, \"aspectRatios\": [\"1:1\"]"),
                        "models.json: m: resolutions: 1K: usd: \"sync\" is required"),
                Arguments.of("no aspect ratios", model("\"resolutions\": {\"1K\": {}}"),
                        "models.json: m: \"aspectRatios\" is required"),
                Arguments.of("an aspect ratio written wrong", model("\"resolutions\": {\"1K\": {}}, \"aspectRatios\": [\"16x9\"]"),
                        "models.json: m: aspect ratio \"16x9\" is not of the form W:H (e.g. 16:9)"),
                Arguments.of("an aspect ratio twice", model("\"resolutions\": {\"1K\": {}}, \"aspectRatios\": [\"1:1\", \"1:1\"]"),
                        "models.json: m: \"aspectRatios\" names \"1:1\" twice"),
                Arguments.of("takesImageSize not a boolean", model("\"resolutions\": {\"1K\": {}}, \"aspectRatios\": [\"1:1\"], \"takesImageSize\": \"no\""),
                        "models.json: m: \"takesImageSize\" must be true or false"),
                Arguments.of("an alias that is no string", "{\"aliases\": {\"nano-banana\": 2}}",
                        "models.json: aliases: \"nano-banana\" must name a model id (a string)"),
                Arguments.of("a retirement without a successor", "{\"retired\": {\"gpt-image-1\": {\"retiredOn\": \"2026-10-23\"}}}",
                        "models.json: retired: gpt-image-1: \"successor\" is required"),
                Arguments.of("a retirement date written wrong", "{\"retired\": {\"gpt-image-1\": {\"successor\": \"gpt-image-1.5\", \"retiredOn\": \"23.10.2026\"}}}",
                        "models.json: retired: gpt-image-1: \"retiredOn\" must be a date as YYYY-MM-DD, not \"23.10.2026\""),
                Arguments.of("a typo in a retirement", "{\"retired\": {\"gpt-image-1\": {\"sucessor\": \"gpt-image-1.5\"}}}",
                        "models.json: retired: gpt-image-1: unknown field \"sucessor\"; known: successor, retiredOn"),
                Arguments.of("provider defaults without resolutions", "{\"providerDefaults\": {\"gemini\": {\"aspectRatios\": [\"1:1\"]}}}",
                        "models.json: providerDefaults: gemini: \"resolutions\" is required"),
                Arguments.of("a default that is no string", "{\"default\": 3}",
                        "models.json: \"default\" must name a model (a string)"),
                Arguments.of("models as a list", "{\"models\": []}",
                        "models.json: \"models\" must be an object keyed by name"),
                Arguments.of("a name both model and alias", "{\"models\": {\"m\": " + GOOD_MODEL + "}, \"aliases\": {\"m\": \"m\"}}",
                        "models.json: \"m\" is both a model and an alias"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheDocumentTheEntryAndTheField(String kind, String json, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> CatalogJson.parse(json, "models.json"));

        assertTrue(error.getMessage().startsWith(expected), error.getMessage());
    }

    private static String model(String fields) {
        return "{\"models\": {\"m\": {\"provider\": \"gemini\", " + fields + "}}}";
    }
}
