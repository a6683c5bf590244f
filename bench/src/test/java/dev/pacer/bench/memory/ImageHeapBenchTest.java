package dev.pacer.bench.memory;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** One child JVM of the heap benchmark, tiny, so a change that breaks it shows in CI. */
class ImageHeapBenchTest {

    @Test
    void aChildWithRoomToSpareGetsItsImageWhole() throws Exception {
        int imageBytes = 1024 * 1024;
        try (RealSizeGemini gemini = new RealSizeGemini(imageBytes, Duration.ZERO)) {
            ImageHeapBench.Run run = ImageHeapBench.child(gemini.baseUrl(), 1, imageBytes, 256);

            assertTrue(run.ok(), run.outcome());
        }
    }
}
