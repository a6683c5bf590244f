package dev.pacer.core.port;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link InputImages} does: S3 on moto and the in-memory one. Each test uses keys of its own. */
public abstract class InputImagesContract {

    private InputImages images;
    private String prefix;

    protected abstract InputImages newImages();

    /** Puts an object where {@link #newImages()}'s reads find it. */
    protected abstract void store(String key, byte[] bytes);

    @BeforeEach
    void newImagesForTheTest() {
        images = newImages();
        prefix = "uploads/" + UUID.randomUUID() + "/";
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void theHeadIsTheFirstBytesAndTheWholeSize() {
        byte[] bytes = random(300_000);
        store(prefix + "a", bytes);

        InputImages.Head head = images.head(prefix + "a", 1024).orElseThrow();

        assertArrayEquals(Arrays.copyOf(bytes, 1024), head.firstBytes());
        assertEquals(300_000, head.size());
    }

    @Test
    void theHeadOfASmallObjectIsAllOfIt() {
        byte[] bytes = random(10);
        store(prefix + "small", bytes);

        InputImages.Head head = images.head(prefix + "small", 1024).orElseThrow();

        assertArrayEquals(bytes, head.firstBytes());
        assertEquals(10, head.size());
    }

    @Test
    void aMissingObjectHasNoHead() {
        assertEquals(Optional.empty(), images.head(prefix + "missing", 1024));
    }

    @Test
    void anOpenedObjectStreamsAllItsBytes() throws Exception {
        byte[] bytes = random(2_000_000);
        store(prefix + "big", bytes);

        try (InputStream in = images.open(prefix + "big")) {
            byte[] read = in.readAllBytes();
            assertTrue(Arrays.equals(bytes, read), "the bytes read back are the bytes stored");
        }
    }
}
