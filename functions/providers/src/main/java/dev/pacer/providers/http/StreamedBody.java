package dev.pacer.providers.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * A request body made of pieces sent one after the other: text, and objects (an edit's reference images) opened only
 * when the send reaches them and streamed, raw or as base64. Its length is known beforehand, so it goes with a
 * Content-Length; a retried send opens the objects again.
 */
public final class StreamedBody {

    private sealed interface Piece {
        long length();

        InputStream open();
    }

    private record Text(byte[] bytes) implements Piece {
        public long length() {
            return bytes.length;
        }

        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    private record Stream(Supplier<InputStream> source, long bytes, boolean base64) implements Piece {
        public long length() {
            return base64 ? Base64Stream.encodedLength(bytes) : bytes;
        }

        public InputStream open() {
            InputStream in = source.get();
            return base64 ? new Base64Stream(in) : in;
        }
    }

    /** An object of the body could not be opened: the request was cut short before the provider had all of it. */
    public static final class InputUnreadable extends IOException {
        InputUnreadable(RuntimeException cause) {
            super("an input of the request could not be read: " + cause.getMessage(), cause);
        }
    }

    private final List<Piece> pieces = new ArrayList<>();

    /**
     * A JSON document whose placeholders {@code marker + i} (JSON strings) stand where image {@code i}'s base64 goes:
     * the text around them as it is, each image's base64 streamed from {@code open} as the body is sent. The marker is
     * random per request, so no prompt can contain it.
     */
    public static StreamedBody jsonWithBase64(String json, String marker, List<Long> sizes, java.util.function.IntFunction<InputStream> open) {
        StreamedBody streamed = new StreamedBody();
        int at = 0;
        for (int i = 0; i < sizes.size(); i++) {
            int placeholder = json.indexOf(marker + i, at);
            int image = i;
            streamed.text(json.substring(at, placeholder)).base64(() -> open.apply(image), sizes.get(i));
            at = placeholder + (marker + i).length();
        }
        return streamed.text(json.substring(at));
    }

    public StreamedBody text(String text) {
        pieces.add(new Text(text.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** An object of {@code bytes} bytes, sent as it is. */
    public StreamedBody raw(Supplier<InputStream> source, long bytes) {
        pieces.add(new Stream(source, bytes, false));
        return this;
    }

    /** An object of {@code bytes} bytes, sent as its base64 text. */
    public StreamedBody base64(Supplier<InputStream> source, long bytes) {
        pieces.add(new Stream(source, bytes, true));
        return this;
    }

    /**
     * {@code other}'s pieces after these: a batch's requests are one body, each request's images opened only when the
     * send reaches them.
     */
    public StreamedBody append(StreamedBody other) {
        pieces.addAll(other.pieces);
        return this;
    }

    public long length() {
        return pieces.stream().mapToLong(Piece::length).sum();
    }

    public HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(this::open), length());
    }

    /** The whole body as one stream that opens each piece when the one before it is done. */
    public InputStream open() {
        Iterator<Piece> next = List.copyOf(pieces).iterator();
        return new InputStream() {
            private InputStream current = InputStream.nullInputStream();

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (true) {
                    int n = current.read(b, off, len);
                    if (n >= 0 && (n > 0 || len == 0)) {
                        return n;
                    }
                    current.close();
                    if (!next.hasNext()) {
                        return -1;
                    }
                    try {
                        current = next.next().open();
                    } catch (RuntimeException e) {
                        throw new InputUnreadable(e);
                    }
                }
            }

            @Override
            public void close() throws IOException {
                current.close();
            }
        };
    }

}
