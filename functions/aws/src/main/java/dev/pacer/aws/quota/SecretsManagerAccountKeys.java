package dev.pacer.aws.quota;

import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keys by reference: {@code secretsmanager:<secret id or ARN>} (deployed; the secret string is the key),
 * {@code env:<VARIABLE>} (local runs only: a variable of the function's environment), or {@code none}.
 * Secrets are cached for a few minutes, so a rotated key is picked up without a redeploy.
 */
public final class SecretsManagerAccountKeys implements AccountKeys {

    private static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private final Supplier<SecretsManagerClient> newClient;
    private final Function<String, String> environment;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private SecretsManagerClient client;

    public SecretsManagerAccountKeys(Supplier<SecretsManagerClient> secrets, Function<String, String> environment, Clock clock) {
        this.newClient = secrets;
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Optional<String> apiKey(Account account) {
        String ref = account.keyRef();
        if (ref.equals("none")) {
            return Optional.empty();
        }
        if (ref.startsWith("env:")) {
            String value = environment.apply(ref.substring(4));
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("account " + account.id() + ": variable " + ref.substring(4) + " is not set");
            }
            return Optional.of(value);
        }
        if (ref.startsWith("secretsmanager:")) {
            String secretId = ref.substring("secretsmanager:".length());
            Instant now = clock.instant();
            Cached cached = cache.get(secretId);
            if (cached == null || cached.until().isBefore(now)) {
                String value = client().getSecretValue(get -> get.secretId(secretId)).secretString();
                cached = new Cached(value, now.plus(CACHE_FOR));
                cache.put(secretId, cached);
            }
            return Optional.of(cached.value());
        }
        throw new IllegalStateException("account " + account.id() + ": keyRef must be secretsmanager:<id>, env:<VAR> or none");
    }

    /** One client for the function's life, built on the first key read (never for env: or none keys). */
    private synchronized SecretsManagerClient client() {
        if (client == null) {
            client = newClient.get();
        }
        return client;
    }

    private record Cached(String value, Instant until) {
    }
}
