package dev.pacer.core.job;

/**
 * A reference image a submission names that cannot be used: not found (or not the caller's), not finished, not an
 * image, too large, or against the model's rules. {@code status} and {@code type} say which, for the problem answer.
 */
public final class InputRefusedException extends InvalidRequestException {

    private final int status;
    private final String type;

    public InputRefusedException(String field, int status, String type, String message) {
        super(field, message);
        this.status = status;
        this.type = type;
    }

    public static InputRefusedException invalid(String field, String message) {
        return new InputRefusedException(field, 400, "invalid-input", message);
    }

    public static InputRefusedException notFound(String field, String message) {
        return new InputRefusedException(field, 422, "input-not-found", message);
    }

    public static InputRefusedException notReady(String field, String message) {
        return new InputRefusedException(field, 409, "input-not-ready", message);
    }

    public static InputRefusedException unsupportedType(String field, String message) {
        return new InputRefusedException(field, 415, "input-type-unsupported", message);
    }

    public static InputRefusedException tooLarge(String field, String message) {
        return new InputRefusedException(field, 413, "input-too-large", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
