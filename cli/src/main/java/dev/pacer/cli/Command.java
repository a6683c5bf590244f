package dev.pacer.cli;

import java.util.Set;

/** One of pacer's subcommands: the options it takes and what it does with them. */
interface Command {

    String name();

    /** One line: the synopsis. */
    String synopsis();

    /** A few lines on the options. */
    String help();

    Set<String> flags();

    Set<String> valued();

    /** The process exit code: 0 all well, 1 something failed (a job, a line, the API), 2 usage, 3 timed out. */
    int run(Arguments args, Cli cli);
}
