package dev.pacer.intake;

import dev.pacer.core.quota.AccountUsage;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** GET /v1/quota: each account and model with its limits, use in the current windows, and cooldown. */
@Path("/v1/quota")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    private final QuotaLedger ledger;

    public QuotaResource(QuotaLedger ledger) {
        this.ledger = ledger;
    }

    public record QuotaResponse(Instant asOf, List<AccountModel> accounts) {
    }

    /** Null fields are absent limits / no cooldown; JSON readers get them as null. */
    public record AccountModel(String account, String provider, String model, Limits limits, Limits appliedLimits, Used used,
            Instant coolingDownUntil, String cooldownReason) {
    }

    public record Limits(int rpm, int ipm, int rpd, Integer tpm, Integer maxConcurrent) {
        static Limits of(ModelLimits l) {
            return new Limits(l.rpm(), l.ipm(), l.rpd(), l.tpm().orElse(null), l.maxConcurrent().orElse(null));
        }
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
        List<AccountModel> accounts = ledger.usage().stream().map(QuotaResource::view).toList();
        return new QuotaResponse(Instant.now(), accounts);
    }

    private static AccountModel view(AccountUsage u) {
        return new AccountModel(u.account(), u.provider(), u.model(), Limits.of(u.limits()), Limits.of(u.effectiveLimits()),
                Used.of(u.usage()), u.usage().cooldown().map(c -> c.until()).orElse(null),
                u.usage().cooldown().map(c -> c.reason()).orElse(null));
    }
}
