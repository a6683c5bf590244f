package dev.pacer.core.catalog;

import dev.pacer.core.job.Resolution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models pacer accepts, and the one used when a submission names none. */
public final class ModelCatalog {

    static final List<String> GEMINI_ASPECT_RATIOS =
            List.of("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9");
    /** Gemini 3.1 Flash Image adds the extreme ratios. */
    static final List<String> GEMINI_31_FLASH_ASPECT_RATIOS = List.of(
            "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9", "1:4", "4:1", "1:8", "8:1");
    /** gpt-image-1's three sizes: 1024x1024, 1536x1024, 1024x1536. */
    static final List<String> OPENAI_ASPECT_RATIOS = List.of("1:1", "3:2", "2:3");
    /** Nova Canvas takes any width and height (multiples of 16, at most 4.19 MP): the common ratios. */
    static final List<String> NOVA_CANVAS_ASPECT_RATIOS = List.of("1:1", "3:2", "2:3", "4:3", "3:4", "16:9", "9:16");

    private final Map<String, ModelSpec> models = new LinkedHashMap<>();
    private final String defaultModel;

    public ModelCatalog(List<ModelSpec> models, String defaultModel) {
        models.forEach(m -> this.models.put(m.name(), m));
        if (!this.models.containsKey(defaultModel)) {
            throw new IllegalArgumentException("default model " + defaultModel + " is not in the catalog");
        }
        this.defaultModel = defaultModel;
    }

    /**
     * The public models as documented by their providers: Gemini's imageSize ("512" i.e. 0.5K only on
     * 3.1 Flash Image; 2.5 Flash Image has no imageSize and makes 1K), OpenAI's sizes, Nova Canvas's
     * pixel limit (2048x2048).
     */
    public static ModelCatalog standard() {
        return new ModelCatalog(List.of(
                new ModelSpec("gemini-3.1-flash-image-preview", "gemini",
                        List.of(Resolution.HALF_K, Resolution.ONE_K, Resolution.TWO_K, Resolution.FOUR_K), GEMINI_31_FLASH_ASPECT_RATIOS),
                new ModelSpec("gemini-3-pro-image-preview", "gemini",
                        List.of(Resolution.ONE_K, Resolution.TWO_K, Resolution.FOUR_K), GEMINI_ASPECT_RATIOS),
                new ModelSpec("gemini-2.5-flash-image", "gemini", List.of(Resolution.ONE_K), GEMINI_ASPECT_RATIOS),
                new ModelSpec("gpt-image-1", "openai", List.of(Resolution.ONE_K), OPENAI_ASPECT_RATIOS),
                new ModelSpec("amazon.nova-canvas-v1:0", "bedrock",
                        List.of(Resolution.ONE_K, Resolution.TWO_K), NOVA_CANVAS_ASPECT_RATIOS)),
                "gemini-3.1-flash-image-preview");
    }

    public Optional<ModelSpec> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public ModelSpec defaultModel() {
        return models.get(defaultModel);
    }

    public List<String> names() {
        return List.copyOf(models.keySet());
    }
}
