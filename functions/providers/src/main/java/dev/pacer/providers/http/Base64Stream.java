package dev.pacer.providers.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

/**
 * Reads an input stream as its base64 text (standard alphabet, padded, no line breaks), a chunk at a time: an image is
 * encoded as it is sent, never held whole, neither as bytes nor as text.
 */
final class Base64Stream extends InputStream {

    /** A multiple of 3, so that only the last chunk is padded. */
    private static final int CHUNK = 3 * 16 * 1024;

    private final InputStream source;
    private final byte[] raw = new byte[CHUNK];
    private byte[] encoded = new byte[0];
    private int at;
    private boolean ended;

    Base64Stream(InputStream source) {
        this.source = source;
    }

    /** How many characters the base64 text of {@code bytes} bytes has. */
    static long encodedLength(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return encoded[at++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, encoded.length - at);
        System.arraycopy(encoded, at, b, off, n);
        at += n;
        return n;
    }

    private boolean fill() throws IOException {
        if (at < encoded.length) {
            return true;
        }
        if (ended) {
            return false;
        }
        int filled = source.readNBytes(raw, 0, CHUNK);
        if (filled < CHUNK) {
            ended = true;
        }
        if (filled == 0) {
            return false;
        }
        encoded = Base64.getEncoder().encode(filled == CHUNK ? raw : java.util.Arrays.copyOf(raw, filled));
        at = 0;
        return true;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
