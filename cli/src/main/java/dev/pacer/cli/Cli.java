package dev.pacer.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * Where a command writes and what it knows of its surroundings; {@code interactive} draws the live progress
 * line instead of periodic log lines.
 */
record Cli(PrintStream out, PrintStream err, Map<String, String> environment, boolean interactive, Clock clock) {

    static Cli system() {
        return new Cli(System.out, System.err, System.getenv(), System.console() != null, Clock.systemUTC());
    }
}
