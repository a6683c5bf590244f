package dev.pacer.localrun.lambda;

/**
 * The function failed: it posted an invocation error, failed to initialise, crashed or timed out. The message is the
 * error document Lambda would return ({"errorMessage", "errorType"}).
 */
public class FunctionErrorException extends RuntimeException {

    private final String errorType;

    public FunctionErrorException(String errorType, String errorDocument) {
        super(errorDocument);
        this.errorType = errorType;
    }

    /** e.g. "Runtime.ExitError", "Sandbox.Timedout", or the type the function reported. */
    public String errorType() {
        return errorType;
    }

    public String errorDocument() {
        return getMessage();
    }
}
