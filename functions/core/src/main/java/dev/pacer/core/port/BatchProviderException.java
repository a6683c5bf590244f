package dev.pacer.core.port;

/**
 * A Batch API call that did not get an answer pacer can use (transport failure, 5xx, 429, an unexpected body). The
 * batch lane retries it on its next schedule; {@code retryable} is false only when the provider refused the request
 * as sent (4xx other than 429), so the caller ends the lines it carried instead of retrying them forever.
 */
public class BatchProviderException extends RuntimeException {

    private final boolean retryable;

    public BatchProviderException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public BatchProviderException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
