package dev.pacer.core.port;

import dev.pacer.core.job.GenerationRequest;

import java.util.Optional;

/**
 * Room in this worker instance's memory for the images of the calls it has in flight. A delivery takes room for
 * its request before it reserves quota and gives it back once the images are stored, so that the jobs of one batch
 * wait for each other instead of running the instance out of memory.
 */
public interface InFlightImages {

    /** Room for the request's images, waiting a while if the instance is full; empty when none came in time. */
    Optional<Room> take(GenerationRequest request);

    /** Held while a call's images are fetched and stored; closing gives the room back. */
    interface Room extends AutoCloseable {
        @Override
        void close();
    }

    /** No bound: every request has room at once (tests, tools). */
    static InFlightImages unbounded() {
        return request -> Optional.of(() -> { });
    }
}
