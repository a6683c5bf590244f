package dev.pacer.providers.http;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.ProviderTimeouts;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POSTs JSON to a provider with java.net.http and tells transport failures apart by whether the
 * request may have reached the provider: a failed connect is free to retry, a timeout after sending
 * is ambiguous. Answers of any status come back as an {@link Answer}.
 *
 * <p>The timeout covers the whole answer. The JDK's request timeout ends when the headers arrive, so the body is
 * read under a deadline of its own: when the call's time is up, the body's stream is closed, which ends the read and
 * the connection. A 200's body is parsed as it arrives, its base64 image fields decoded on the way ({@link DecodedJson}).
 */
public final class JsonHttp {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** How much of an error answer is read: they are a few KB; the rest of a huge one is not needed to classify it. */
    private static final int MAX_ERROR_BODY = 1024 * 1024;
    /** How much of a 200's text is kept for messages about it (it may be 40 MB of base64). */
    private static final int HEAD = 300;

    /** The calls run here, each blocking on its answer: Gemini sends a job's requests side by side. */
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(daemon("provider-call"));
    /** Closes the body of an answer whose deadline passed. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(daemon("provider-deadline"));

    /**
     * An HTTP answer: status, the body as a tree (a missing node when it is not JSON), the body's text for messages
     * (all of an error answer, the first characters of a 200), and its headers (names in lower case, the first value
     * of each: a 429's {@code Retry-After}, OpenAI's {@code x-ratelimit-*} on every answer).
     */
    public record Answer(int status, JsonNode json, String body, Map<String, String> headers) {
        public Answer {
            headers = Map.copyOf(headers);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** {@code Retry-After} in seconds, as a 429 may carry it. */
        public Optional<String> retryAfter() {
            return header("retry-after");
        }

        /** OpenAI's {@code retry-after-ms}. */
        public Optional<String> retryAfterMs() {
            return header("retry-after-ms");
        }
    }

    /** Either an answer or a transport failure, never both. */
    public record Result(Optional<Answer> answer, Optional<ProviderError> failure) {
    }

    private final HttpClient client;
    private final String provider;
    private final Set<String> base64Fields;

    /** @param base64Fields the fields of a 200 answer that hold base64 images, decoded as they are read */
    public JsonHttp(String provider, ProviderTimeouts timeouts, Set<String> base64Fields) {
        this.provider = provider;
        this.base64Fields = Set.copyOf(base64Fields);
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeouts.connect())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Starts the call; several can run at once (Gemini: one request per image). The whole answer must arrive within {@code timeout}. */
    public CompletableFuture<Result> post(URI uri, Map<String, String> headers, JsonNode body, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> exchange(uri, headers, HttpRequest.BodyPublishers.ofString(body.toString()),
                "application/json", timeout), CALLS);
    }

    /**
     * As {@link #post(URI, Map, JsonNode, Duration)} with a body streamed as it is sent (an edit's reference images,
     * read from S3 on the way), of {@code contentType}: JSON with base64 images, or multipart/form-data.
     */
    public CompletableFuture<Result> post(URI uri, Map<String, String> headers, StreamedBody body, String contentType, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> exchange(uri, headers, body.publisher(), contentType, timeout), CALLS);
    }

    private Result exchange(URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body, String contentType, Duration timeout) {
        long started = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .POST(body);
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return failed(transportFailure(e, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(ProviderError.transport(provider, ProviderError.Transport.CONNECTION_LOST, "interrupted while waiting for the answer"));
        }
        Duration left = timeout.minusNanos(System.nanoTime() - started);
        InputStream in = response.body();
        Deadline deadline = Deadline.after(left, in);
        try {
            return answered(response, in);
        } catch (IOException e) {
            if (deadline.passed()) {
                return failed(ProviderError.transport(provider, ProviderError.Transport.TIMEOUT_AFTER_SEND,
                        "the answer was not complete within " + timeout.toSeconds() + " s after sending"));
            }
            return failed(ProviderError.transport(provider, ProviderError.Transport.CONNECTION_LOST,
                    "connection lost while reading the answer: " + e));
        } finally {
            deadline.cancel();
            closeQuietly(in);
        }
    }

    /** Closing a body read to its end returns the connection; closing one cut short closes the connection. */
    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the answer, or the failure, is already decided
        }
    }

    private Result answered(HttpResponse<InputStream> response, InputStream in) throws IOException {
        Map<String, String> headers = headers(response);
        if (response.statusCode() != 200) {
            String text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
            return new Result(Optional.of(new Answer(response.statusCode(), parse(text), text, headers)), Optional.empty());
        }
        Head head = new Head(in);
        JsonNode json;
        String text;
        try {
            json = DecodedJson.read(head, base64Fields);
            text = head.text();
        } catch (StreamReadException unreadable) {
            // not JSON, or not base64 where an image should be: an answer, if a useless one
            json = JSON.missingNode();
            text = unreadable.getOriginalMessage() + ": " + head.text();
        }
        return new Result(Optional.of(new Answer(200, json, text, headers)), Optional.empty());
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode json = JSON.readTree(text);
            return json == null ? JSON.missingNode() : json;
        } catch (IOException notJson) {
            return JSON.missingNode();
        }
    }

    private Result failed(ProviderError error) {
        return new Result(Optional.empty(), Optional.of(error));
    }

    /** The answer's headers, names in lower case, the first value of each. */
    static Map<String, String> headers(HttpResponse<?> response) {
        Map<String, String> first = new HashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!values.isEmpty()) {
                first.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return first;
    }

    private ProviderError transportFailure(Throwable thrown, Duration timeout) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamedBody.InputUnreadable unreadable) {
                return ProviderError.transport(provider, ProviderError.Transport.INPUT_UNREADABLE, unreadable.getMessage());
            }
        }
        if (thrown instanceof HttpConnectTimeoutException || thrown instanceof ConnectException
                || thrown instanceof UnresolvedAddressException || thrown.getCause() instanceof UnresolvedAddressException) {
            return ProviderError.transport(provider, ProviderError.Transport.CONNECT_FAILED, "could not connect: " + thrown);
        }
        if (thrown instanceof HttpTimeoutException) {
            return ProviderError.transport(provider, ProviderError.Transport.TIMEOUT_AFTER_SEND,
                    "no answer within " + timeout.toSeconds() + " s after sending");
        }
        return ProviderError.transport(provider, ProviderError.Transport.CONNECTION_LOST, "connection lost after sending: " + thrown);
    }

    /** Closes a body when its call's time is up; {@link #passed()} then tells a read that failed why. */
    private static final class Deadline {
        private final AtomicBoolean passed = new AtomicBoolean();
        private final ScheduledFuture<?> timer;

        private Deadline(Duration left, Closeable body) {
            this.timer = DEADLINES.schedule(() -> {
                passed.set(true);
                try {
                    body.close();
                } catch (IOException ignored) {
                    // closing is all the deadline does; the reader sees the stream end
                }
            }, Math.max(0, left.toNanos()), TimeUnit.NANOSECONDS);
        }

        static Deadline after(Duration left, Closeable body) {
            return new Deadline(left, body);
        }

        boolean passed() {
            return passed.get();
        }

        void cancel() {
            timer.cancel(false);
        }
    }

    /** Keeps the first characters of a body that is read once, for messages about it. */
    private static final class Head extends FilterInputStream {
        private final byte[] head = new byte[HEAD];
        private int kept;

        Head(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && kept < head.length) {
                head[kept++] = (byte) b;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && kept < head.length) {
                int keep = Math.min(n, head.length - kept);
                System.arraycopy(b, off, head, kept, keep);
                kept += keep;
            }
            return n;
        }

        String text() {
            return abbreviate(new String(head, 0, kept, StandardCharsets.UTF_8));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** {@code 28s}, {@code 1.5s} (Google's Duration JSON), a number of seconds, or nothing. */
    public static Optional<Duration> seconds(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String value = text.strip();
        if (value.endsWith("s")) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /**
     * A Go-style duration as OpenAI's {@code x-ratelimit-reset-*} headers give it: {@code 1s}, {@code 6m0s},
     * {@code 774ms}, {@code 1h2m3.5s}; empty when it is none.
     */
    public static Optional<Duration> goDuration(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        java.util.regex.Matcher part = GO_DURATION_PART.matcher(text.strip());
        double millis = 0;
        int end = 0;
        while (part.find()) {
            if (part.start() != end) {
                return Optional.empty();
            }
            double value = Double.parseDouble(part.group(1));
            millis += switch (part.group(2)) {
                case "h" -> value * 3_600_000;
                case "m" -> value * 60_000;
                case "s" -> value * 1_000;
                case "ms" -> value;
                case "us", "µs" -> value / 1_000;
                default -> value / 1_000_000; // ns
            };
            end = part.end();
        }
        return end > 0 && end == text.strip().length() ? Optional.of(Duration.ofMillis(Math.round(millis))) : Optional.empty();
    }

    private static final java.util.regex.Pattern GO_DURATION_PART = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

    /** A number of milliseconds ({@code retry-after-ms}), or nothing. */
    public static Optional<Duration> millis(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(text.strip()))));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /**
     * The bytes of a provider's image field: decoded as it was read ({@link DecodedJson}), or base64 text; empty when
     * it is neither (a broken answer, not a crash).
     */
    public static Optional<byte[]> bytes(JsonNode field) {
        try {
            if (field.isBinary()) {
                return Optional.of(field.binaryValue());
            }
            return field.isTextual() ? Optional.of(java.util.Base64.getDecoder().decode(field.asText())) : Optional.empty();
        } catch (IOException | IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** A provider's text as far as a message needs it: the first 300 characters. */
    public static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** Base URLs are configured with or without a trailing slash. */
    public static String trimSlash(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
