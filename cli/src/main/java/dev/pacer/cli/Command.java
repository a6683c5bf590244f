package dev.pacer.cli;

import java.util.Set;

/** One of pacer's subcommands: the options it takes and what it does with them. */
abstract class Command {

    /**
     * @param synopsis one line: the command and its options
     * @param help     a few lines on the options
     * @param flags    options without a value
     * @param valued   options taking a value
     */
    record Spec(String name, String synopsis, String help, Set<String> flags, Set<String> valued) {
    }

    private final Spec spec;

    Command(Spec spec) {
        this.spec = spec;
    }

    final Spec spec() {
        return spec;
    }

    /** The process exit code: 0 all well, 1 something failed (a job, a line, the API), 2 usage, 3 timed out. */
    abstract int run(Arguments args, Cli cli);
}
