package dev.pacer.aws.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An item's size as DynamoDB counts it against its 400 KB limit: attribute names and values in UTF-8, numbers by
 * their digits, lists and maps with 3 bytes of their own and 1 per element. Rounded up where the rules are loose.
 */
final class ItemSize {

    /** The most an item may hold. */
    static final int LIMIT = 400 * 1024;

    static int of(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    private static int of(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8(value.s());
            case N -> (value.n().replaceAll("[^0-9]", "").length() + 1) / 2 + 1;
            case B -> value.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case L -> 3 + value.l().stream().mapToInt(element -> 1 + of(element)).sum();
            case M -> 3 + value.m().entrySet().stream().mapToInt(entry -> 1 + utf8(entry.getKey()) + of(entry.getValue())).sum();
            case SS -> value.ss().stream().mapToInt(ItemSize::utf8).sum();
            case NS -> value.ns().stream().mapToInt(n -> (n.length() + 1) / 2 + 1).sum();
            case BS -> value.bs().stream().mapToInt(b -> b.asByteArray().length).sum();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown type: " + value);
        };
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private ItemSize() {
    }
}
