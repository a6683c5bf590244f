package dev.pacer.providers.http;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * Reads a provider's JSON answer into a tree, except that the strings of the named fields (Gemini's
 * {@code inlineData.data}, OpenAI's {@code b64_json}, Nova Canvas's {@code images}) are decoded from base64 while
 * they are read and kept as binary nodes. A 4K image is then held once as bytes, instead of as the answer's text,
 * the parser's copy of the string and the decoded bytes; and a string of more than the parser's 20 million
 * characters (any image over 15 MB) is no longer refused.
 */
public final class DecodedJson {

    /** Standard base64, with or without the trailing {@code =}: what the providers send. */
    private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();

    private DecodedJson() {
    }

    /**
     * The answer's tree, the named fields' strings as {@link com.fasterxml.jackson.databind.node.BinaryNode}s; a field
     * holding an array of strings has each element decoded. Empty input is a missing node. Throws
     * {@link com.fasterxml.jackson.core.exc.StreamReadException} for text that is not JSON or not base64 where it
     * should be, and any other {@link IOException} the stream throws.
     */
    public static JsonNode read(InputStream in, Set<String> base64Fields) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            JsonToken first = parser.nextToken();
            return first == null ? MissingNode.getInstance() : value(parser, first, null, base64Fields, Set.of());
        }
    }

    /**
     * The same, leaving out the fields named in {@code skipped} wherever they are: a Gemini batch's inlined responses
     * (every image of the batch) are passed over, never held, when only its state is wanted.
     */
    public static JsonNode read(InputStream in, Set<String> base64Fields, Set<String> skipped) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            JsonToken first = parser.nextToken();
            return first == null ? MissingNode.getInstance() : value(parser, first, null, base64Fields, skipped);
        }
    }

    /**
     * The value {@code parser} stands at ({@code token} its first token), read as {@link #read} reads a whole answer:
     * for a reader that walks a large document itself and takes its parts one at a time.
     */
    public static JsonNode value(JsonParser parser, JsonToken token, Set<String> base64Fields) throws IOException {
        return value(parser, token, null, base64Fields, Set.of());
    }

    private static JsonNode value(JsonParser parser, JsonToken token, String field, Set<String> base64Fields, Set<String> skipped)
            throws IOException {
        JsonNodeFactory nodes = JSON.getNodeFactory();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken next = parser.nextToken();
                    if (skipped.contains(name)) {
                        parser.skipChildren();
                        continue;
                    }
                    object.set(name, value(parser, next, name, base64Fields, skipped));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    // an array's elements belong to its field: Nova Canvas's "images": ["…", "…"]
                    array.add(value(parser, element, field, base64Fields, skipped));
                }
                return array;
            }
            case VALUE_STRING -> {
                if (field != null && base64Fields.contains(field)) {
                    ImageBytes bytes = new ImageBytes();
                    try {
                        parser.readBinaryValue(BASE64, bytes);
                    } catch (IllegalArgumentException notBase64) {
                        // the streaming decoder's way of saying so
                        throw new JsonParseException(parser, field + " is not base64: " + notBase64.getMessage(), notBase64);
                    }
                    return nodes.binaryNode(bytes.toByteArray());
                }
                return nodes.textNode(parser.getText());
            }
            default -> {
                return JSON.readTree(parser);
            }
        }
    }

    /**
     * The decoded bytes in growing chunks, copied once into an array of the exact size at the end: at most twice
     * the image for a moment, where a growing single array would be copied at every doubling.
     */
    static final class ImageBytes extends OutputStream {
        private static final int FIRST_CHUNK = 64 * 1024;
        private static final int LARGEST_CHUNK = 4 * 1024 * 1024;

        private final List<byte[]> full = new ArrayList<>();
        private byte[] chunk = new byte[FIRST_CHUNK];
        private int used;
        private long total;

        @Override
        public void write(int b) {
            if (used == chunk.length) {
                next();
            }
            chunk[used++] = (byte) b;
            total++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (used == chunk.length) {
                    next();
                }
                int n = Math.min(len, chunk.length - used);
                System.arraycopy(b, off, chunk, used, n);
                used += n;
                off += n;
                len -= n;
                total += n;
            }
        }

        private void next() {
            full.add(chunk);
            chunk = new byte[Math.min(chunk.length * 2, LARGEST_CHUNK)];
            used = 0;
        }

        byte[] toByteArray() {
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("an image of " + total + " bytes");
            }
            byte[] bytes = new byte[(int) total];
            int at = 0;
            for (int i = 0; i < full.size(); i++) {
                byte[] c = full.set(i, null);
                System.arraycopy(c, 0, bytes, at, c.length);
                at += c.length;
            }
            System.arraycopy(chunk, 0, bytes, at, used);
            chunk = null;
            return bytes;
        }
    }
}
