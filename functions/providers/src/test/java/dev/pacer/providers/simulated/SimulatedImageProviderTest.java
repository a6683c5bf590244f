package dev.pacer.providers.simulated;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.ProviderOutcome;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedImageProviderTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final SimulatedImageProvider provider = new SimulatedImageProvider(0, 256);

    @Test
    void returnsOneDecodablePngPerRequestedImageInTheRequestedShape() throws IOException {
        var outcome = provider.generate(request("a lighthouse at dusk", Resolution.ONE_K, "16:9", 2), SimulatedImageProvider.ACCOUNT);

        var generated = assertInstanceOf(ProviderOutcome.Generated.class, outcome);
        assertEquals(2, generated.images().size());
        for (var image : generated.images()) {
            assertEquals("image/png", image.contentType());
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(image.bytes(), 8));
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.bytes()));
            assertEquals(256, decoded.getWidth());
            assertEquals(144, decoded.getHeight());
        }
        assertFalse(Arrays.equals(generated.images().get(0).bytes(), generated.images().get(1).bytes()),
                "each image of a job differs");
    }

    @Test
    void samePromptDrawsTheSamePictureAndOtherPromptsDiffer() {
        byte[] fox = firstImage("a red fox");
        assertArrayEquals(fox, firstImage("a red fox"));
        assertFalse(Arrays.equals(fox, firstImage("a blue whale")));
    }

    @Test
    void anEditDrawsFromItsInputsDeterministically() {
        GenerationRequest plain = request("the shoes on a beach", Resolution.HALF_K, "1:1", 1);
        GenerationRequest edit = plain.withInputs(List.of(InputImage.upload("u1", "uploads/a/u1", "image/png", 100)), Optional.empty());
        GenerationRequest other = plain.withInputs(List.of(InputImage.upload("u2", "uploads/a/u2", "image/png", 100)), Optional.empty());

        byte[] edited = image(edit);

        assertArrayEquals(edited, image(edit));
        assertFalse(Arrays.equals(edited, image(plain)));
        assertFalse(Arrays.equals(edited, image(other)));
    }

    @Test
    void anEditReadsItsInputsBytesSoOtherBytesUnderTheSameKeyDrawAnotherPicture() {
        var stored = new dev.pacer.core.port.InMemoryInputImages().put("uploads/a/u1", new byte[] {1, 2, 3});
        var reading = new SimulatedImageProvider(0, 64, stored);
        GenerationRequest edit = request("the shoes", Resolution.HALF_K, "1:1", 1)
                .withInputs(List.of(InputImage.upload("u1", "uploads/a/u1", "image/png", 3)), Optional.empty());

        byte[] first = ((ProviderOutcome.Generated) reading.generate(edit, SimulatedImageProvider.ACCOUNT)).images().get(0).bytes();
        stored.put("uploads/a/u1", new byte[] {4, 5, 6});
        byte[] second = ((ProviderOutcome.Generated) reading.generate(edit, SimulatedImageProvider.ACCOUNT)).images().get(0).bytes();

        assertEquals(2, stored.timesOpened("uploads/a/u1"));
        assertFalse(Arrays.equals(first, second));
    }

    private byte[] image(GenerationRequest request) {
        return ((ProviderOutcome.Generated) provider.generate(request, SimulatedImageProvider.ACCOUNT)).images().get(0).bytes();
    }

    @Test
    void portraitRatiosPutTheLongSideVertically() {
        assertArrayEquals(new int[] {576, 1024}, new SimulatedImageProvider(0, 4096).pixelSize(Resolution.ONE_K, "9:16"));
    }

    @Test
    void latencyIsTheSeedFigureTimesTheFactor() {
        var realistic = new SimulatedImageProvider(1.0, 64);
        assertEquals(Duration.ofSeconds(13), realistic.latencyOf(Resolution.ONE_K));
        assertEquals(Duration.ofMillis(800), new SimulatedImageProvider(0.1, 64).latencyOf(Resolution.HALF_K));
        Duration fourK = realistic.latencyOf(Resolution.FOUR_K);
        assertTrue(fourK.compareTo(Duration.ofSeconds(90)) >= 0 && fourK.compareTo(Duration.ofSeconds(170)) <= 0, fourK::toString);
    }

    @Test
    void promptDirectivesSimulateAnOverloadAndASafetyBlock() {
        assertInstanceOf(ProviderOutcome.RetryLater.class,
                provider.generate(request("a fox [simulate:unavailable]", Resolution.ONE_K, "1:1", 1), SimulatedImageProvider.ACCOUNT));
        var refused = assertInstanceOf(ProviderOutcome.Refused.class,
                provider.generate(request("a fox [simulate:safety]", Resolution.ONE_K, "1:1", 1), SimulatedImageProvider.ACCOUNT));
        assertEquals("safety_block", refused.type());
    }

    private byte[] firstImage(String prompt) {
        var generated = (ProviderOutcome.Generated) provider.generate(request(prompt, Resolution.HALF_K, "1:1", 1), SimulatedImageProvider.ACCOUNT);
        return generated.images().get(0).bytes();
    }

    private static GenerationRequest request(String prompt, Resolution resolution, String aspectRatio, int count) {
        return new GenerationRequest(prompt, "gemini-3.1-flash-image", resolution, aspectRatio, count, Map.of());
    }
}
