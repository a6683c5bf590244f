package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.Set;

/** What it takes to make N images a minute of a model and resolution: /v1/capacity, readable. */
final class PlanCommand extends Command {

    PlanCommand() {
        super(new Spec("plan",
                "plan --model M --resolution R [--images-per-minute N] [--json]",
                """
                  The server's capacity answer: expected latency, the accounts' quota ceiling, the workers needed for N
                  images a minute, when the daily quota would run out, the cost per image, and warnings.
                  --json           the API's answer as it is
                """,
                Set.of("json"), Set.of("model", "resolution", "images-per-minute")));
    }

    @Override
    public int run(Arguments args, Cli cli) {
        String model = args.value("model").orElseThrow(() -> new UsageException("--model is required"));
        String resolution = args.value("resolution").orElseThrow(() -> new UsageException("--resolution is required"));
        PacerApi api = Connection.open(args, cli);
        Optional<JsonNode> answer = api.capacity(model, resolution, args.decimal("images-per-minute"));
        if (answer.isEmpty()) {
            cli.err().println("pacer plan: " + api.base() + " has no /v1/capacity (HTTP 404): the stack is older than this CLI; "
                    + "deploy a newer pacer to plan capacity");
            return Pacer.FAILED;
        }
        JsonNode plan = answer.get();
        if (args.flag("json")) {
            cli.out().println(Json.pretty(plan));
            return Pacer.OK;
        }
        JsonNode ceiling = plan.path("ceiling");
        JsonNode cost = plan.path("costPerImage");
        Table table = new Table("", "")
                .row("model", text(plan, "model"))
                .row("resolution", text(plan, "resolution"))
                .row("target", text(plan, "imagesPerMinute") + " images/min")
                .row("latency", text(plan, "latencySeconds") + " s (" + text(plan, "latencySource") + ")")
                .row("accounts", text(plan, "accounts"))
                .row("quota ceiling", text(ceiling, "imagesPerMinute") + " images/min, " + text(ceiling, "imagesPerDay") + " images/day, "
                        + text(ceiling, "requestsPerMinute") + " requests/min, " + text(ceiling, "requestsPerDay") + " requests/day")
                .row("workers needed", text(plan, "concurrencyNeeded") + " concurrent (SQS maximum concurrency "
                        + text(plan, "sqsMaximumConcurrency") + ")")
                .row("requests/min needed", text(plan, "requestsPerMinuteNeeded"))
                .row("daily quota runs out", text(plan, "dailyQuotaRunsOutAt"))
                .row("cost per image", "$" + text(cost, "total") + " (provider $" + text(cost, "provider") + " + AWS $" + text(cost, "aws") + ")");
        JsonNode batch = plan.path("batch");
        if (batch.path("available").asBoolean(false)) {
            JsonNode batchCost = batch.path("costPerImage");
            table.row("batch lane", text(batch, "imagesPerDay") + " images/day, done within " + text(batch, "turnaroundHours")
                            + " h (by " + text(batch, "expectedBy") + ")")
                    .row("batch cost per image", "$" + text(batchCost, "total") + " (provider $" + text(batchCost, "provider")
                            + " + AWS $" + text(batchCost, "aws") + ")");
        } else if (batch.isObject()) {
            table.row("batch lane", "none: " + text(batch, "reason"));
        }
        table.print(cli.out());
        for (JsonNode warning : plan.path("warnings")) {
            cli.out().println("warning: " + warning.asText());
        }
        return Pacer.OK;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        // numbers as written, never in exponent form: an AWS share of $0.000373, not $3.73E-4
        return value.isNumber() ? value.decimalValue().stripTrailingZeros().toPlainString() : value.asText();
    }
}
