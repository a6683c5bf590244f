package dev.pacer.localrun.lambda;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** One event handed to one function instance, and the result the runtime posts back. */
final class Invocation {

    private final String requestId = UUID.randomUUID().toString();
    private final byte[] event;
    private final Instant deadline;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    Invocation(byte[] event, Instant deadline) {
        this.event = event;
        this.deadline = deadline;
    }

    String requestId() {
        return requestId;
    }

    byte[] event() {
        return event;
    }

    Instant deadline() {
        return deadline;
    }

    CompletableFuture<byte[]> result() {
        return result;
    }
}
