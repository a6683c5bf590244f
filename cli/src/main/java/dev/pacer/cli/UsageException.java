package dev.pacer.cli;

/** The command line itself is wrong: unknown command or option, a missing or malformed value (exit 2). */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
