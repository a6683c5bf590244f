package dev.pacer.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentsTest {

    @Test
    void optionsTakeValuesEitherWayAndPositionalsKeepTheirOrder() {
        Arguments args = Arguments.parse(List.of("a red fox", "--count", "2", "--resolution=2K", "--json", "--", "--not-an-option"),
                Set.of("json"), Set.of("count", "resolution"));

        assertEquals(List.of("a red fox", "--not-an-option"), args.positionals());
        assertEquals(Optional.of(2), args.integer("count", 1, 10));
        assertEquals(Optional.of("2K"), args.value("resolution"));
        assertTrue(args.flag("json"));
    }

    @Test
    void typosMissingValuesAndBadNumbersAreUsageErrors() {
        assertEquals("unknown option --cuont",
                assertThrows(UsageException.class, () -> Arguments.parse(List.of("--cuont", "2"), Set.of(), Set.of("count"))).getMessage());
        assertEquals("--count needs a value",
                assertThrows(UsageException.class, () -> Arguments.parse(List.of("--count"), Set.of(), Set.of("count"))).getMessage());
        Arguments args = Arguments.parse(List.of("--count", "two", "--interval", "-1"), Set.of(), Set.of("count", "interval"));
        assertThrows(UsageException.class, () -> args.integer("count", 1, 10));
        assertThrows(UsageException.class, () -> args.decimal("interval"));
    }
}
