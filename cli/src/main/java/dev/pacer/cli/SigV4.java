package dev.pacer.cli;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs requests for an HTTP API with IAM authorization (service {@code execute-api}) with the SDK's own SigV4
 * signer and credentials from the given provider (the CLI uses the default chain: environment, profile, SSO
 * cache, container, instance).
 */
final class SigV4 {

    static final String SERVICE = "execute-api";
    /** {@code {api-id}.execute-api.{region}.amazonaws.com}, also {@code .amazonaws.com.cn}. */
    private static final Pattern EXECUTE_API_HOST = Pattern.compile("^[^.]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?$");
    /** HttpClient sets these itself and refuses them as user headers. */
    private static final Set<String> SET_BY_HTTP_CLIENT = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final Clock clock;

    SigV4(AwsCredentialsProvider credentials, String region, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
    }

    static boolean isExecuteApiHost(String host) {
        return host != null && EXECUTE_API_HOST.matcher(host.toLowerCase(Locale.ROOT)).matches();
    }

    static Optional<String> regionOf(String host) {
        if (host == null) {
            return Optional.empty();
        }
        Matcher matcher = EXECUTE_API_HOST.matcher(host.toLowerCase(Locale.ROOT));
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The headers to add to the request: Authorization, X-Amz-Date, X-Amz-Security-Token for session credentials. */
    Map<String, List<String>> sign(String method, URI uri, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(request::putHeader);
        SignedRequest signed = signer.sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(request.build())
                .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.SIGNING_CLOCK, clock));
        Map<String, List<String>> added = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        signed.request().headers().forEach((name, values) -> {
            if (!SET_BY_HTTP_CLIENT.contains(name.toLowerCase(Locale.ROOT)) && !headers.containsKey(name)) {
                added.put(name, values);
            }
        });
        return added;
    }
}
