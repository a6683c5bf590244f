package dev.pacer.providers;

import java.net.URI;
import java.util.Objects;

/**
 * Where and as whom a provider call is made: what the provider counts quota against (for Gemini a
 * Google Cloud project), its API base URL (compatible proxies exist) and key. {@link RoutingImageProvider}
 * makes one from the quota ledger's fuller account (limits, a key reference) for each call.
 *
 * @param id       stable name of the account, recorded on the job (never the key)
 * @param provider the provider name as in the model catalog ({@code gemini}, {@code openai}, {@code bedrock}, {@code simulated})
 * @param apiKey   empty where the provider authenticates otherwise (Bedrock: the function's IAM role)
 */
public record ProviderAccount(String id, String provider, URI baseUrl, String apiKey) {

    public ProviderAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
    }

    /** Never prints the key: accounts end up in logs. */
    @Override
    public String toString() {
        return "ProviderAccount[id=" + id + ", provider=" + provider + ", baseUrl=" + baseUrl + ", apiKey=***]";
    }
}
