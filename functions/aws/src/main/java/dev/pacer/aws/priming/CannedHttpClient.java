package dev.pacer.aws.priming;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SDK HTTP client that never opens a connection: it reads the request body the SDK wrote (so the streaming and
 * checksum paths run) and answers every request with one fixed response. Only {@link SdkPriming} uses it.
 */
final class CannedHttpClient implements SdkHttpClient {

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final AtomicInteger requests = new AtomicInteger();

    CannedHttpClient(int status, Map<String, String> headers, byte[] body) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body.clone();
    }

    /** How many requests the SDK handed to this client. */
    int requests() {
        return requests.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                requests.incrementAndGet();
                request.contentStreamProvider().ifPresent(CannedHttpClient::drain);
                SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status)
                        .putHeader("Content-Length", Integer.toString(body.length));
                headers.forEach(response::putHeader);
                return HttpExecuteResponse.builder().response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {
                // nothing is in flight
            }
        };
    }

    private static void drain(ContentStreamProvider content) {
        try (InputStream in = content.newStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String clientName() {
        return "pacer-priming";
    }

    @Override
    public void close() {
        // holds nothing
    }
}
