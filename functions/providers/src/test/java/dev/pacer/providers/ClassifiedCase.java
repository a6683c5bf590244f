package dev.pacer.providers;

import dev.pacer.core.port.ProviderOutcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Asserts an outcome's kind and stable type. */
public final class ClassifiedCase {

    private ClassifiedCase() {
    }

    /** {@code Refused} → {@code ProviderOutcome.Refused}, for tables of cases. */
    public static Class<? extends ProviderOutcome> outcomeClass(String kind) throws ClassNotFoundException {
        return Class.forName(ProviderOutcome.class.getName() + "$" + kind).asSubclass(ProviderOutcome.class);
    }

    public static void assertOutcome(Class<? extends ProviderOutcome> kind, String type, ProviderOutcome outcome) {
        assertInstanceOf(kind, outcome, outcome::toString);
        String actual = outcome instanceof ProviderOutcome.Failure failure ? failure.type() : "generated";
        assertEquals(type, actual, outcome::toString);
    }
}
