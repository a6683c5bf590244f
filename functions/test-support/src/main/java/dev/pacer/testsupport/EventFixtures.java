package dev.pacer.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Lambda event fixtures: JSON files under a test module's {@code src/test/resources/events/}. */
public final class EventFixtures {

    private EventFixtures() {
    }

    /** The event fixture {@code src/test/resources/events/NAME} with each {@code ${key}} replaced. */
    public static String event(String name, Map<String, String> values) {
        try (InputStream in = EventFixtures.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no event fixture events/" + name + " on the test classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (var value : values.entrySet()) {
                text = text.replace("${" + value.getKey() + "}", value.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
