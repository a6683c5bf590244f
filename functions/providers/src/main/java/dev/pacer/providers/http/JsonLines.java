package dev.pacer.providers.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reads a JSON Lines file (a batch's results) one line at a time as it arrives, each line parsed as
 * {@link DecodedJson} parses an answer, its images decoded on the way. A line is never held as text, and the file
 * never whole. A line that cannot be read (not JSON, or not base64 where an image should be) is passed over, so the
 * lines after it still count: JSON text cannot hold a raw newline, so the next line always starts clean.
 */
public final class JsonLines {

    private JsonLines() {
    }

    /**
     * Hands each line's value to {@code each}; the number (from 1) of a line that cannot be read goes to
     * {@code unreadable}. Blank lines are skipped. Throws what the stream throws.
     */
    public static void read(InputStream in, Set<String> base64Fields, Consumer<JsonNode> each, IntConsumer unreadable) throws IOException {
        Line line = new Line(in);
        int number = 0;
        while (line.next()) {
            number++;
            JsonNode value;
            try {
                value = DecodedJson.read(line, base64Fields);
            } catch (JsonProcessingException broken) {
                line.drain();
                unreadable.accept(number);
                continue;
            }
            line.drain();
            if (!value.isMissingNode()) {
                each.accept(value);
            }
        }
    }

    /** One line of the underlying stream at a time: it ends at the newline, and {@link #next()} moves on to the next. */
    private static final class Line extends InputStream {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int at;
        private int end;
        private boolean ended;
        private boolean eof;

        Line(InputStream in) {
            this.in = in;
        }

        /** Starts the next line; false at the end of the stream. */
        boolean next() throws IOException {
            if (at == end && !fill()) {
                return false;
            }
            ended = false;
            return true;
        }

        /** Reads what is left of this line, unread. */
        void drain() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // the rest of a line is whitespace, or what a broken line left
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended || len == 0) {
                return ended ? -1 : 0;
            }
            if (at == end && !fill()) {
                ended = true;
                return -1;
            }
            int stop = Math.min(end, at + len);
            int n = 0;
            while (at + n < stop && buffer[at + n] != '\n') {
                n++;
            }
            System.arraycopy(buffer, at, b, off, n);
            at += n;
            if (at < end && buffer[at] == '\n') {
                at++;
                ended = true;
                if (n == 0) {
                    return -1;
                }
            }
            return n;
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            at = 0;
            end = n;
            return true;
        }

        /** The parser closes its source after each line; the stream goes on. */
        @Override
        public void close() {
        }
    }
}
