package dev.pacer.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.ProviderTimeouts;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * POSTs JSON to a provider with java.net.http and tells transport failures apart by whether the
 * request may have reached the provider: a failed connect is free to retry, a timeout after sending
 * is ambiguous. Answers of any status come back as an {@link Answer}.
 */
public final class JsonHttp {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer: status, body, and its headers (names in lower case; the first value of each). */
    public record Answer(int status, String body, java.util.Map<String, String> headers) {
        public Answer {
            headers = java.util.Map.copyOf(headers);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }

        /** {@code Retry-After} in seconds, as a 429 may carry it. */
        public Optional<String> retryAfter() {
            return header("retry-after");
        }

        /** OpenAI's {@code retry-after-ms}. */
        public Optional<String> retryAfterMs() {
            return header("retry-after-ms");
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException notJson) {
                return JSON.missingNode();
            }
        }
    }

    /** Either an answer or a transport failure, never both. */
    public record Result(Optional<Answer> answer, Optional<ProviderError> failure) {
    }

    private final HttpClient client;
    private final String provider;

    public JsonHttp(String provider, ProviderTimeouts timeouts) {
        this.provider = provider;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeouts.connect())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Starts the call; several can run at once (Gemini: one request per image). */
    public CompletableFuture<Result> post(URI uri, java.util.Map<String, String> headers, JsonNode body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Result(Optional.of(new Answer(response.statusCode(), response.body(), headers(response))),
                        Optional.empty()))
                .exceptionally(thrown -> new Result(Optional.empty(), Optional.of(transportFailure(unwrap(thrown), timeout))));
    }

    private static java.util.Map<String, String> headers(HttpResponse<?> response) {
        java.util.Map<String, String> first = new java.util.HashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!values.isEmpty()) {
                first.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
            }
        });
        return first;
    }

    private ProviderError transportFailure(Throwable thrown, Duration timeout) {
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

    private static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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

    /** The bytes of a provider's base64 image data; empty when it is not base64 (a broken answer, not a crash). */
    public static Optional<byte[]> base64(String text) {
        try {
            return Optional.of(java.util.Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException notBase64) {
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
