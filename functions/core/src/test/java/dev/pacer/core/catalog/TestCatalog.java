package dev.pacer.core.catalog;

import dev.pacer.core.job.Resolution;
import dev.pacer.core.usecase.PriceTable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.core.job.Resolution.FOUR_K;
import static dev.pacer.core.job.Resolution.HALF_K;
import static dev.pacer.core.job.Resolution.ONE_K;
import static dev.pacer.core.job.Resolution.TWO_K;

/**
 * A catalog for core's unit tests, shaped like the bundled one (functions/aws, dev/pacer/aws/catalog/models.json):
 * core cannot read that file, so its tests name their models here. Tests above core read the bundled file itself.
 */
public final class TestCatalog {

    public static final String FLASH = "gemini-3.1-flash-image";
    public static final String PRO = "gemini-3-pro-image";
    public static final String FLASH_25 = "gemini-2.5-flash-image";
    /** Listed without a price, as in the bundled catalog; here it takes no input images. */
    public static final String FLASH_LITE = "gemini-3.1-flash-lite-image";
    public static final String GPT_IMAGE = "gpt-image-1.5";
    public static final String NOVA_CANVAS = "amazon.nova-canvas-v1:0";

    static final List<String> GEMINI_RATIOS = List.of("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9");
    static final List<String> FLASH_RATIOS = List.of("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9",
            "1:4", "4:1", "1:8", "8:1");
    static final List<String> OPENAI_RATIOS = List.of("1:1", "3:2", "2:3");

    /** As models.json: 7 MiB per image, 70 MiB together (Gemini's 100 MB inline request), 560 tokens each at $0.50 per million. */
    public static final InputLimits GEMINI_14 = new InputLimits(14, 7 * 1024 * 1024, false, 0, 560, false,
            Optional.of(new BigDecimal("0.5")), 70 * 1024 * 1024);
    public static final InputLimits GEMINI_3 = new InputLimits(3, 7 * 1024 * 1024, false, 0, 258, false,
            Optional.of(new BigDecimal("0.3")), 70 * 1024 * 1024);
    /** Under 50 MB per image, a mask under 4 MB, 1,500 tokens each at $8 per million. */
    public static final InputLimits OPENAI_16 = new InputLimits(16, 50L * 1024 * 1024 - 1, true, 4L * 1024 * 1024 - 1, 1500, true,
            Optional.of(new BigDecimal("8")));

    /** Nova Canvas's IMAGE_VARIATION: 1 to 5 PNG or JPEG images, billed per image, not in tokens. */
    public static final InputLimits NOVA_5 = new InputLimits(5, 10L * 1024 * 1024, false, 0, 0, false, Optional.empty(), 0,
            List.of("image/png", "image/jpeg"));

    private TestCatalog() {
    }

    /** The bundled catalog's shape: live ids, the nano-banana aliases, the retired previews and gpt-image-1. */
    public static CatalogEntries entries() {
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (ModelSpec spec : List.of(
                model(FLASH, "gemini", FLASH_RATIOS, true, Map.of(HALF_K, "0.045", ONE_K, "0.067", TWO_K, "0.101", FOUR_K, "0.151"))
                        .withInputs(GEMINI_14),
                model(PRO, "gemini", GEMINI_RATIOS, true, Map.of(ONE_K, "0.134", TWO_K, "0.134", FOUR_K, "0.24")).withInputs(GEMINI_14),
                model(FLASH_25, "gemini", GEMINI_RATIOS, false, Map.of(ONE_K, "0.039")).withInputs(GEMINI_3),
                ModelSpec.unpriced(FLASH_LITE, "gemini", List.of(ONE_K), GEMINI_RATIOS),
                model(GPT_IMAGE, "openai", OPENAI_RATIOS, true, Map.of(ONE_K, "0.133")).withInputs(OPENAI_16),
                model(NOVA_CANVAS, "bedrock", List.of("1:1", "3:2", "2:3", "4:3", "3:4", "16:9", "9:16"), true,
                        Map.of(ONE_K, "0.04", TWO_K, "0.06")).withInputs(NOVA_5))) {
            models.put(spec.id(), spec);
        }
        Map<String, Retirement> retired = new LinkedHashMap<>();
        retired.put("gemini-3.1-flash-image-preview", new Retirement("gemini-3.1-flash-image-preview", FLASH, LocalDate.parse("2026-06-25")));
        retired.put("gemini-3-pro-image-preview", new Retirement("gemini-3-pro-image-preview", PRO, LocalDate.parse("2026-06-25")));
        retired.put("gpt-image-1", new Retirement("gpt-image-1", GPT_IMAGE, LocalDate.parse("2026-10-23")));
        return new CatalogEntries(models,
                Map.of("nano-banana", FLASH_25, "nano-banana-2", FLASH, "nano-banana-pro", PRO),
                retired,
                Optional.of(FLASH),
                Map.of("gemini", new ProviderDefaults(List.of(ONE_K, TWO_K, FOUR_K), GEMINI_RATIOS),
                        "openai", new ProviderDefaults(List.of(ONE_K), OPENAI_RATIOS),
                        "simulated", new ProviderDefaults(List.of(HALF_K, ONE_K, TWO_K, FOUR_K), FLASH_RATIOS)));
    }

    public static ModelCatalog standard() {
        return ModelCatalog.of(entries());
    }

    public static PriceTable prices() {
        return PriceTable.of(standard());
    }

    /** A model with a sync price per resolution (batch: half) and no token figures. */
    public static ModelSpec model(String id, String provider, List<String> ratios, boolean takesImageSize, Map<Resolution, String> usd) {
        Map<Resolution, ModelSpec.PerImage> perImage = new EnumMap<>(Resolution.class);
        usd.forEach((resolution, price) -> perImage.put(resolution,
                new ModelSpec.PerImage(Optional.empty(), Optional.of(ImagePrice.ofSync(new BigDecimal(price))))));
        return new ModelSpec(id, provider, id, perImage, ratios, takesImageSize);
    }
}
