package dev.pacer.localrun.lambda;

import java.time.Duration;

/** The invocation outlived the function's Timeout; like Lambda, the instance is discarded. */
public final class FunctionTimeoutException extends FunctionErrorException {

    public FunctionTimeoutException(String requestId, Duration timeout) {
        super("Sandbox.Timedout", "{\"errorMessage\":\"" + requestId + " Task timed out after "
                + String.format(java.util.Locale.ROOT, "%.2f", timeout.toMillis() / 1000.0) + " seconds\",\"errorType\":\"Sandbox.Timedout\"}");
    }
}
