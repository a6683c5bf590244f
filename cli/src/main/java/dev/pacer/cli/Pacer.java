package dev.pacer.cli;

import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code pacer <command> ...}: the everyday way to use a pacer stack, local or deployed. */
public final class Pacer {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int TIMED_OUT = 3;

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command command : List.of(new SubmitCommand(), new WaitCommand(), new DownloadCommand(), new StatusCommand(),
                new CancelCommand(), new QuotaCommand(), new PlanCommand())) {
            COMMANDS.put(command.spec().name(), command);
        }
    }

    private Pacer() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Cli.system()));
    }

    static int run(String[] args, Cli cli) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? cli.err() : cli.out()).print(overview());
            return args.length == 0 ? USAGE : OK;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            cli.err().println("pacer: unknown command '" + args[0] + "'");
            cli.err().print(overview());
            return USAGE;
        }
        Command.Spec spec = command.spec();
        try {
            Arguments arguments = Arguments.parse(Arrays.asList(args).subList(1, args.length),
                    union(spec.flags(), Connection.FLAGS, Set.of("help")), union(spec.valued(), Connection.VALUED));
            if (arguments.flag("help")) {
                cli.out().println("usage: " + spec.synopsis());
                cli.out().print(spec.help());
                cli.out().print(CONNECTION_HELP);
                return OK;
            }
            return command.run(arguments, cli);
        } catch (UsageException e) {
            cli.err().println("pacer " + spec.name() + ": " + e.getMessage());
            cli.err().println("usage: " + spec.synopsis());
            return USAGE;
        } catch (ApiProblem e) {
            cli.err().println("pacer " + spec.name() + ": the API refused: " + e.describe());
            return FAILED;
        } catch (UncheckedIOException e) {
            cli.err().println("pacer " + spec.name() + ": " + e.getMessage());
            return FAILED;
        } catch (SdkClientException e) {
            cli.err().println("pacer " + spec.name() + ": cannot sign the request (AWS credentials?): " + e.getMessage());
            return FAILED;
        }
    }

    private static final String CONNECTION_HELP = """
              --url URL       the pacer API (default $PACER_URL, else http://localhost:8080)
              --sigv4         sign requests with SigV4 (on by itself for *.execute-api.*.amazonaws.com)
              --region R      the region to sign for (default: from the host, else $AWS_REGION)
            """;

    static String overview() {
        StringBuilder text = new StringBuilder("usage: pacer <command> [options]   (pacer <command> --help for more)\n\n");
        COMMANDS.values().forEach(command -> text.append("  ").append(command.spec().synopsis()).append('\n'));
        text.append("\noptions of every command:\n").append(CONNECTION_HELP);
        return text.toString();
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }
}
