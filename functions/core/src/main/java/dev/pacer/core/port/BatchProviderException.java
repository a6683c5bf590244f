package dev.pacer.core.port;

/**
 * A Batch API call that did not get an answer pacer can use (transport failure, 5xx, 429, an unexpected body). The
 * batch lane retries it on its next schedule; {@code retryable} is false only when the provider refused the request
 * as sent (4xx other than 429), so the caller ends the lines it carried instead of retrying them forever.
 * {@code overQuota} says the provider answered that its batch quota is spent (429 RESOURCE_EXHAUSTED on Gemini's
 * create: enqueued tokens or concurrent batches): the call was refused, so no batch was made, and its lines may wait
 * for a later batch.
 */
public class BatchProviderException extends RuntimeException {

    private final boolean retryable;
    private final boolean overQuota;

    public BatchProviderException(String message, boolean retryable) {
        this(message, retryable, false);
    }

    private BatchProviderException(String message, boolean retryable, boolean overQuota) {
        super(message);
        this.retryable = retryable;
        this.overQuota = overQuota;
    }

    /** The provider refused the call for its quota (a 429): nothing was made, try again later. */
    public static BatchProviderException overQuota(String message) {
        return new BatchProviderException(message, true, true);
    }

    public BatchProviderException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.overQuota = false;
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean overQuota() {
        return overQuota;
    }
}
