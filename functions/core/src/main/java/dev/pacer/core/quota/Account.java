package dev.pacer.core.quota;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider counts quota against (for Gemini a Google Cloud project: all its keys share one quota).
 *
 * @param id            pacer's name for it, unique in the pool (appears in GET /v1/quota and on jobs)
 * @param provider      "gemini", "openai", "simulated", ... as in the model catalog
 * @param baseUrl       where its API is (compatible proxies exist)
 * @param keyRef        where its key is, never the key: {@code secretsmanager:<name or arn>}, {@code env:<VAR>}, or {@code none}
 * @param models        limits per model this account may serve
 * @param safetyMargin  fraction of every limit left unused (0.1 keeps 10 % spare for other users of the quota)
 * @param dayResetZone  the provider day's time zone (Gemini's RPD resets at midnight America/Los_Angeles)
 * @param smoothing     when present, at most ceil(limit × S / 60) requests and images in any S seconds
 * @param batchMaxOpen  when present, the most batches open at once on it (Gemini: 100 per project), below the lane's
 *                      own bound ({@code PACER_BATCH_MAX_OPEN_PER_ACCOUNT})
 */
public record Account(String id, String provider, URI baseUrl, String keyRef, Map<String, ModelLimits> models,
        double safetyMargin, ZoneId dayResetZone, Optional<Duration> smoothing, Optional<Integer> batchMaxOpen) {

    public static final ZoneId GEMINI_DAY_ZONE = ZoneId.of("America/Los_Angeles");
    /** The provider of the local stand-in model: nothing it makes is billed. */
    public static final String SIMULATED_PROVIDER = "simulated";

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(keyRef, "keyRef");
        Objects.requireNonNull(dayResetZone, "dayResetZone");
        Objects.requireNonNull(smoothing, "smoothing");
        Objects.requireNonNull(batchMaxOpen, "batchMaxOpen");
        models = Map.copyOf(models);
        if (id.isBlank() || id.contains("#") || id.contains("|")) {
            throw new IllegalArgumentException("account id must be non-blank and free of '#' and '|': " + id);
        }
        if (safetyMargin < 0 || safetyMargin >= 1) {
            throw new IllegalArgumentException("safetyMargin must be in [0, 1): " + safetyMargin);
        }
        if (smoothing.filter(s -> s.isNegative() || s.isZero() || s.compareTo(Duration.ofSeconds(60)) >= 0).isPresent()) {
            throw new IllegalArgumentException("smoothing must be between 1 and 59 seconds");
        }
        if (batchMaxOpen.filter(n -> n < 1).isPresent()) {
            throw new IllegalArgumentException("batchMaxOpen must be at least 1 when given");
        }
    }

    /** An account with no bound of its own on open batches. */
    public Account(String id, String provider, URI baseUrl, String keyRef, Map<String, ModelLimits> models, double safetyMargin,
            ZoneId dayResetZone, Optional<Duration> smoothing) {
        this(id, provider, baseUrl, keyRef, models, safetyMargin, dayResetZone, smoothing, Optional.empty());
    }

    /** The default reset zone of a provider's day: Gemini's is Pacific time; others count in UTC unless told. */
    public static ZoneId defaultDayZone(String provider) {
        return "gemini".equals(provider) ? GEMINI_DAY_ZONE : ZoneId.of("UTC");
    }

    public boolean isSimulated() {
        return provider.equals(SIMULATED_PROVIDER);
    }

    public boolean serves(String model) {
        return models.containsKey(model);
    }

    public Optional<ModelLimits> limits(String model) {
        return Optional.ofNullable(models.get(model));
    }

    /** The limits for a model after the safety margin. */
    public Optional<ModelLimits> effectiveLimits(String model) {
        return limits(model).map(l -> l.withMargin(safetyMargin));
    }
}
