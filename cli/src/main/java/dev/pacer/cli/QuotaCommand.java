package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * Each account and model: per limit, what is used now, what pacer applies, what the pool declares, what the provider
 * stated and what pacer learned (and why); then calls in flight, how sends go out, the last unpredicted 429 and the
 * cooldown.
 */
final class QuotaCommand extends Command {

    private static final List<String> LIMITS = List.of("rpm", "ipm", "tpm", "rpd");

    QuotaCommand() {
        super(new Spec("quota",
                "quota [--json]",
                """
                  Per account, model and limit (rpm, ipm, tpm, rpd): used in the last 60 s (rpd: in the provider day),
                  applied now, declared in the pool, stated by the provider, learned by pacer and why; the batch lane's
                  own (batch tokens enqueued in unfinished batches, batches open on the account). Then calls in
                  flight, whether sends are spread evenly, the last 429 pacer did not predict, and until when an
                  account cools down.
                  --json           the API's answer as it is
                """,
                Set.of("json"), Set.of()));
    }

    @Override
    public int run(Arguments args, Cli cli) {
        JsonNode quota = Connection.open(args, cli).quota();
        if (args.flag("json")) {
            cli.out().println(Json.pretty(quota));
            return Pacer.OK;
        }
        Table limits = new Table("ACCOUNT", "PROVIDER", "MODEL", "LIMIT", "USED", "APPLIED", "DECLARED", "STATED", "LEARNED");
        Table state = new Table("ACCOUNT", "MODEL", "IN FLIGHT", "SENDS", "DAY RESETS", "LAST UNPREDICTED 429", "COOLING DOWN UNTIL");
        for (JsonNode account : quota.path("accounts")) {
            String id = account.path("account").asText();
            String model = account.path("model").asText();
            JsonNode applied = Outlook.limitsOf(account);
            JsonNode declared = account.path("limits");
            for (String limit : LIMITS) {
                JsonNode stated = account.path("stated").path(limit);
                JsonNode learned = account.path("learned").path(limit);
                if (!applied.path(limit).isNumber() && !declared.path(limit).isNumber() && !stated.isObject() && !learned.isObject()) {
                    continue; // nothing known of this limit: nothing bounds it
                }
                limits.row(id, account.path("provider").asText(), model, limit, used(account.path("used"), limit),
                        number(applied.path(limit)), number(declared.path(limit)), stated(stated), learned(learned));
            }
            batchRows(limits, id, account.path("provider").asText(), model, account.path("batch"));
            JsonNode used = account.path("used");
            JsonNode last = account.path("learned").path("last429");
            state.row(id, model,
                    used.path("inFlight").asInt() + (applied.path("maxConcurrent").isNumber() ? "/" + applied.path("maxConcurrent").asInt() : ""),
                    account.path("learned").path("spread").asBoolean(false) ? "spread evenly" : "as they come",
                    used.path("providerDayResetsAt").asText(""),
                    last.isObject() ? last.path("at").asText() + " " + last.path("reason").asText("") : "",
                    account.path("coolingDownUntil").isTextual()
                            ? account.path("coolingDownUntil").asText() + " " + account.path("cooldownReason").asText("") : "");
        }
        limits.print(cli.out());
        cli.out().println();
        state.print(cli.out());
        return Pacer.OK;
    }

    /**
     * The batch lane's own limits, when something bounds or fills them: tokens enqueued in unfinished batches (declared
     * or learned) and the account's open batches. No sync call counts in them, nor a batch in the sync rows.
     */
    private static void batchRows(Table limits, String id, String provider, String model, JsonNode batch) {
        if (!batch.isObject() || batch.path("enqueuedTokensLimit").isNull() && batch.path("enqueuedTokens").asLong() == 0
                && batch.path("openBatches").asInt() == 0) {
            return;
        }
        JsonNode learned = batch.path("learned");
        limits.row(id, provider, model, "batch tokens", batch.path("enqueuedTokens").asText("0"), number(batch.path("enqueuedTokensLimit")),
                number(batch.path("declaredEnqueuedTokens")), "-",
                learned.isObject() ? learned.path("enqueuedTokens").asText() + ": " + learned.path("reason").asText("") : "-");
        limits.row(id, provider, model, "batches open", batch.path("openBatches").asText("0"), number(batch.path("maxOpenBatches")), "-", "-",
                "-");
    }

    private static String used(JsonNode used, String limit) {
        return switch (limit) {
            case "rpm" -> used.path("requestsLastMinute").asText("0");
            case "ipm" -> used.path("imagesLastMinute").asText("0");
            case "tpm" -> used.path("tokensLastMinute").asText("0");
            default -> used.path("requestsToday").asText("0");
        };
    }

    private static String number(JsonNode node) {
        return node.isNumber() ? node.asText() : "-";
    }

    /** "12 (3 left, resets 18:00:05Z)" */
    private static String stated(JsonNode stated) {
        if (!stated.isObject()) {
            return "-";
        }
        String left = stated.path("remaining").isNumber()
                ? " (" + stated.path("remaining").asText() + " left" + (stated.path("resetsAt").isTextual()
                        ? ", resets " + stated.path("resetsAt").asText() : "") + ")" : "";
        return stated.path("limit").asText() + left;
    }

    /** "9, rising: unpredicted 429 at 13 rpm spread evenly: × 0.8" */
    private static String learned(JsonNode learned) {
        if (!learned.isObject()) {
            return "-";
        }
        return learned.path("rate").asText() + ", " + learned.path("phase").asText() + ": " + learned.path("why").asText();
    }
}
