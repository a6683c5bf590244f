package dev.pacer.core.port;

import dev.pacer.core.job.StoredImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every {@link ImageStore} does, run against each of them: S3 on moto and the in-memory one the use cases'
 * tests use. Each test writes under a job prefix of its own, so one bucket may serve them all.
 */
public abstract class ImageStoreContract {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};

    private ImageStore store;
    /** {@code generations/<random>}: the job's images are under it and a slash. */
    private String job;

    /** The store under test, asked for before each test. */
    protected abstract ImageStore newStore();

    /** What a plain GET of {@code url} answers, made as a caller without credentials makes it. */
    protected abstract Download download(URI url) throws Exception;

    /** An answer to a GET: its status, body and Content-Type. */
    public record Download(int status, byte[] body, String contentType) {
    }

    @BeforeEach
    void newStoreForTheTest() {
        store = newStore();
        job = "generations/" + UUID.randomUUID();
    }

    @Test
    void aStoredImageDownloadsThroughItsUrl() throws Exception {
        store.put(job + "/0.png", PNG, "image/png");

        Download answer = download(store.presignedGet(job + "/0.png", Duration.ofMinutes(15)));

        assertEquals(200, answer.status());
        assertArrayEquals(PNG, answer.body());
        assertEquals("image/png", answer.contentType());
    }

    @Test
    void storedListsOnlyThisPrefixsImagesWithWhatTheirNamesSay() {
        store.put(job + "/0.png", PNG, "image/png");
        store.put(job + "/1.webp", new byte[] {1, 2}, "image/webp");
        store.put(job + "d/0.png", new byte[] {3}, "image/png");

        assertEquals(List.of(new StoredImage(job + "/0.png", "image/png", PNG.length),
                        new StoredImage(job + "/1.webp", "image/webp", 2)),
                store.stored(job + "/"), "only this job's images, with what their names say");
    }

    @Test
    void storedListsInKeyOrderWhateverTheOrderOfWriting() {
        store.put(job + "/2.png", new byte[] {2}, "image/png");
        store.put(job + "/0.png", new byte[] {0}, "image/png");
        store.put(job + "/1.png", new byte[] {1}, "image/png");

        assertEquals(List.of(job + "/0.png", job + "/1.png", job + "/2.png"),
                store.stored(job + "/").stream().map(StoredImage::key).toList());
    }

    @Test
    void aPrefixWithNothingUnderItListsNothing() {
        assertEquals(List.of(), store.stored(job + "/"));
    }
}
