package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** Each account and model: its limits, use in the current rolling minute and provider day, cooldown. */
final class QuotaCommand extends Command {

    QuotaCommand() {
        super(new Spec("quota",
                "quota [--json]",
                """
                  Used / limit per account and model: requests and images in the last 60 s, requests in the provider
                  day, calls in flight; and until when an account cools down after a 429.
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
        Table table = new Table("ACCOUNT", "PROVIDER", "MODEL", "RPM", "IPM", "RPD", "IN FLIGHT", "DAY RESETS", "COOLING DOWN UNTIL");
        for (JsonNode account : quota.path("accounts")) {
            JsonNode limits = Outlook.limitsOf(account);
            JsonNode used = account.path("used");
            table.row(account.path("account").asText(), account.path("provider").asText(), account.path("model").asText(),
                    used.path("requestsLastMinute").asLong() + "/" + limits.path("rpm").asInt(),
                    used.path("imagesLastMinute").asLong() + "/" + limits.path("ipm").asInt(),
                    used.path("requestsToday").asInt() + "/" + limits.path("rpd").asInt(),
                    used.path("inFlight").asInt() + (limits.path("maxConcurrent").isNumber() ? "/" + limits.path("maxConcurrent").asInt() : ""),
                    used.path("providerDayResetsAt").asText(""),
                    account.path("coolingDownUntil").isTextual()
                            ? account.path("coolingDownUntil").asText() + " " + account.path("cooldownReason").asText("") : "");
        }
        table.print(cli.out());
        return Pacer.OK;
    }
}
