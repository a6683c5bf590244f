package dev.pacer.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonLinesTest {

    @Test
    void aBrokenLineIsPassedOverAndTheLinesAfterItStillCount() throws IOException {
        String text = "{\"n\":1}\n"
                + "{\"n\":2, \"data\":\"!!! not base64 !!!\"}\n"
                + "\n"
                + "not json at all\n"
                + "{\"n\":3}  \n"
                + "{\"n\":4}";
        List<Integer> read = new ArrayList<>();
        List<Integer> unreadable = new ArrayList<>();

        JsonLines.read(stream(text), Set.of("data"), line -> read.add(line.path("n").asInt()), unreadable::add);

        assertEquals(List.of(1, 3, 4), read);
        assertEquals(List.of(2, 4), unreadable, "line numbers, the blank line counted");
    }

    @Test
    void linesLongerThanTheBufferAreReadWholeAndDecoded() throws IOException {
        byte[] image = new byte[300_000];
        new Random(7).nextBytes(image);
        String encoded = Base64.getEncoder().encodeToString(image);
        String text = "{\"key\":\"a\",\"data\":\"" + encoded + "\"}\n{\"key\":\"b\",\"data\":\"" + encoded + "\"}\n";
        List<JsonNode> read = new ArrayList<>();

        // a stream that hands out a few bytes at a time, as a network does
        JsonLines.read(trickle(text.getBytes(StandardCharsets.UTF_8)), Set.of("data"), read::add, n -> {
            throw new AssertionError("line " + n);
        });

        assertEquals(2, read.size());
        assertEquals("b", read.get(1).path("key").asText());
        assertArrayEquals(image, read.get(1).get("data").binaryValue());
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 777));
            }
        };
    }
}
