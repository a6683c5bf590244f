package dev.pacer.providers.bedrock;

import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

import java.time.Duration;

/** Builds Bedrock Runtime clients: the JDK's URL connection client, no SDK retries (pacer decides), the default credentials. */
public final class BedrockClients {

    private BedrockClients() {
    }

    /**
     * A client for the account's region, talking to its base URL (the regional
     * {@code https://bedrock-runtime.{region}.amazonaws.com} or a compatible endpoint).
     */
    public static BedrockRuntimeClient forAccount(ProviderAccount account, Region region, ProviderTimeouts timeouts) {
        return BedrockRuntimeClient.builder()
                .region(region)
                .endpointOverride(account.baseUrl())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeouts.connect())
                        // the per-call attempt timeout decides; the socket must not cut it short
                        .socketTimeout(timeouts.longest().plus(Duration.ofSeconds(30))))
                // A retried image call may be a second billed image: ProcessGeneration and the queue decide.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
