package dev.pacer.core.quota;

import dev.pacer.core.catalog.ImagePrice;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenEstimateTest {

    private static ModelSpec model(String provider, Map<Resolution, Integer> tokens) {
        Map<Resolution, ModelSpec.PerImage> perImage = new java.util.EnumMap<>(Resolution.class);
        tokens.forEach((resolution, n) -> perImage.put(resolution,
                new ModelSpec.PerImage(Optional.of(n), Optional.of(ImagePrice.ofSync(new BigDecimal("0.05"))))));
        perImage.putIfAbsent(Resolution.FOUR_K, new ModelSpec.PerImage(Optional.empty(), Optional.empty()));
        return new ModelSpec("m", provider, "m", perImage, List.of("1:1"), true);
    }

    private static GenerationRequest request(String prompt, Resolution resolution, int count) {
        return new GenerationRequest(prompt, "m", resolution, "1:1", count, Map.of());
    }

    @Test
    void aGeminiJobReservesThePromptOncePerRequestAndTheCatalogsOutputTokensPerImage() {
        ModelSpec flash = model("gemini", Map.of(Resolution.ONE_K, 1_120, Resolution.TWO_K, 1_680));
        Demand demand = Demand.of(request("a red fox in snow", Resolution.TWO_K, 3), flash); // 17 characters: 5 tokens

        assertEquals(new Demand(3, 3, 3 * 5 + 3 * 1_680), demand);
    }

    @Test
    void anOpenAiJobIsOneRequestForAllItsImages() {
        ModelSpec gpt = model("openai", Map.of(Resolution.ONE_K, 4_160));
        Demand demand = Demand.of(request("abcdefgh", Resolution.ONE_K, 4), gpt);

        assertEquals(new Demand(1, 4, 2 + 4 * 4_160), demand);
    }

    @Test
    void aResolutionTheCatalogHasNoFigureForReservesTheDearestKnownImage() {
        ModelSpec flash = model("gemini", Map.of(Resolution.ONE_K, 1_120));
        Demand demand = Demand.of(request("abcd", Resolution.FOUR_K, 1), flash);

        assertEquals(1 + TokenEstimate.UNKNOWN_TOKENS_PER_IMAGE, demand.tokens());
    }
}
