package dev.pacer.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One line per job: status, images, attempts, and the error of a failed one. */
final class StatusCommand extends Command {

    StatusCommand() {
        super(new Spec("status",
                "status (BATCH | PROMPT-FILE | ID...) [--json]",
                """
                  --json           the API's answers as a JSON array
                """,
                Set.of("json"), Set.of()));
    }

    @Override
    public int run(Arguments args, Cli cli) {
        List<BatchFile.Entry> jobs = JobSelection.resolve(args.positionals());
        Map<String, JobFetcher.Fetched> fetched;
        try (JobFetcher fetcher = new JobFetcher(Connection.open(args, cli), 4)) {
            fetched = fetcher.fetch(jobs.stream().map(BatchFile.Entry::id).toList());
        }
        ArrayNode raw = Json.MAPPER.createArrayNode();
        Table table = new Table("ID", "NAME", "STATUS", "IMAGES", "ATTEMPTS", "MODEL", "RESOLUTION", "DETAIL");
        boolean allFound = true;
        for (BatchFile.Entry entry : jobs) {
            JobFetcher.Fetched result = fetched.get(entry.id());
            String name = entry.name().orElse("");
            if (result instanceof JobFetcher.Found found) {
                raw.add(found.job());
                table.row(entry.id(), name, found.job().path("status").asText(), found.job().path("images").size() + "/"
                                + JobStatus.images(entry, Optional.of(found.job())),
                        found.job().path("attempts").asInt(), found.job().path("model").asText(), found.job().path("resolution").asText(),
                        JobStatus.error(found.job()).orElse(""));
            } else {
                allFound = false;
                String problem = JobFetcher.whyNot(result);
                raw.addObject().put("id", entry.id()).put("problem", problem);
                table.row(entry.id(), name, "?", "", "", "", "", problem);
            }
        }
        if (args.flag("json")) {
            cli.out().println(Json.pretty(raw));
        } else {
            table.print(cli.out());
        }
        return allFound ? Pacer.OK : Pacer.FAILED;
    }
}
