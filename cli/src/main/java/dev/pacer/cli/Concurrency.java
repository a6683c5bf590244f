package dev.pacer.cli;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

final class Concurrency {

    private Concurrency() {
    }

    /** The task's result; its own unchecked exception comes out as itself. */
    static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
