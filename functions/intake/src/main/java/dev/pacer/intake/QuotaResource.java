package dev.pacer.intake;

import dev.pacer.core.quota.AccountUsage;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.Learning;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.usecase.BatchQuota;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * GET /v1/quota: each account and model with its limits as declared, as the provider stated them, as pacer learned
 * them (and why), as it applies them now; use in the current windows, and cooldown. Beside them, the batch lane's own
 * dimensions, which no sync call spends: tokens enqueued in unfinished batches under the limit declared or learned,
 * and open batches.
 */
@Path("/v1/quota")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    private final QuotaLedger ledger;
    private final BatchQuota batchQuota;

    public QuotaResource(QuotaLedger ledger, BatchQuota batchQuota) {
        this.ledger = ledger;
        this.batchQuota = batchQuota;
    }

    public record QuotaResponse(Instant asOf, List<AccountModel> accounts) {
    }

    /** Null fields are limits not known / nothing stated or learned / no cooldown; JSON readers get them as null. */
    public record AccountModel(String account, String provider, String model, Limits limits, StatedLimits stated,
            Learned learned, Limits appliedLimits, Used used, Instant coolingDownUntil, String cooldownReason, BatchLane batch) {
    }

    /**
     * The batch lane on this account and model (null when it has none): tokens enqueued in its unfinished batches, the
     * limit in force ({@code enqueuedTokensLimit}, null when none is known) and where it comes from, and the account's
     * open batches (all models) under its bound.
     */
    public record BatchLane(long enqueuedTokens, Long enqueuedTokensLimit, String limitSource, Long declaredEnqueuedTokens,
            LearnedBatchLimit learned, int openBatches, int maxOpenBatches) {
        static BatchLane of(BatchQuota.View v) {
            Long limit = v.limit().orElse(null);
            String source = limit == null ? null : v.learned().filter(l -> l.enqueuedTokens() == limit).isPresent() ? "learned" : "declared";
            return new BatchLane(v.enqueuedTokens(), limit, source, v.declaredLimit().orElse(null),
                    v.learned().map(l -> new LearnedBatchLimit(l.enqueuedTokens(), l.at(), l.reason())).orElse(null), v.openBatches(),
                    v.maxOpenBatches());
        }
    }

    /** An enqueued-token limit learned from the provider's refusal, when, and what it said. */
    public record LearnedBatchLimit(long enqueuedTokens, Instant at, String reason) {
    }

    public record Limits(Integer rpm, Integer ipm, Integer rpd, Integer tpm, Integer maxConcurrent) {
        static Limits of(ModelLimits l) {
            return new Limits(l.rpm().orElse(null), l.ipm().orElse(null), l.rpd().orElse(null), l.tpm().orElse(null),
                    l.maxConcurrent().orElse(null));
        }
    }

    /** What the provider said, per dimension, and when pacer read it. */
    public record StatedLimits(Stated rpm, Stated ipm, Stated rpd, Stated tpm) {
        static StatedLimits of(Learning learning) {
            return new StatedLimits(stated(learning, Dimension.RPM), stated(learning, Dimension.IPM), stated(learning, Dimension.RPD),
                    stated(learning, Dimension.TPM));
        }

        private static Stated stated(Learning learning, Dimension dimension) {
            return learning.stated(dimension).map(s -> new Stated(s.limit().limit(), s.limit().remaining().orElse(null),
                    s.resetsAt().orElse(null), s.at(), s.limit().source())).orElse(null);
        }
    }

    public record Stated(int limit, Long remaining, Instant resetsAt, Instant at, String source) {
    }

    /** Learned rates per dimension, whether grants are spread evenly, and the last 429 pacer did not predict. */
    public record Learned(Rate rpm, Rate ipm, Rate rpd, Rate tpm, boolean spread, Unpredicted429 last429) {
        static Learned of(AccountUsage u) {
            Learning learning = u.learning();
            return new Learned(rate(u, Dimension.RPM), rate(u, Dimension.IPM), rate(u, Dimension.RPD), rate(u, Dimension.TPM),
                    u.applied().spread(), learning.last429().map(l -> new Unpredicted429(l.at(), l.reason())).orElse(null));
        }

        private static Rate rate(AccountUsage u, Dimension dimension) {
            boolean applied = u.applied().learned().contains(dimension);
            return u.learning().rate(dimension)
                    .map(r -> new Rate(r.rate(), r.heldBelow().orElse(null), r.since(), r.phase(applied), r.why()))
                    .orElse(null);
        }
    }

    public record Rate(int rate, Integer heldBelow, Instant since, String phase, String why) {
    }

    public record Unpredicted429(Instant at, String reason) {
    }

    public record Used(long requestsLastMinute, long imagesLastMinute, long tokensLastMinute, int requestsToday,
            String providerDay, Instant providerDayResetsAt, int inFlight) {
        static Used of(QuotaWindows.Usage u) {
            return new Used(u.requestsLastMinute(), u.imagesLastMinute(), u.tokensLastMinute(), u.requestsToday(),
                    u.providerDay().toString(), u.dayResetsAt(), u.inFlight());
        }
    }

    @GET
    public QuotaResponse quota() {
        Map<String, BatchQuota.View> batch = batchQuota.view().stream()
                .collect(Collectors.toMap(v -> v.account() + "|" + v.model(), Function.identity()));
        List<AccountModel> accounts = ledger.usage().stream().map(u -> view(u, batch.get(u.account() + "|" + u.model()))).toList();
        return new QuotaResponse(Instant.now(), accounts);
    }

    private static AccountModel view(AccountUsage u, BatchQuota.View batch) {
        return new AccountModel(u.account(), u.provider(), u.model(), Limits.of(u.limits()), StatedLimits.of(u.learning()),
                Learned.of(u), Limits.of(u.effectiveLimits()), Used.of(u.usage()), u.usage().cooldown().map(c -> c.until()).orElse(null),
                u.usage().cooldown().map(c -> c.reason()).orElse(null), batch == null ? null : BatchLane.of(batch));
    }
}
