package dev.pacer.providers.simulated;

import java.util.Optional;

/**
 * Where the simulated provider keeps its batches, as a real provider keeps them on its side: somewhere every process
 * sees, since the collector that opens a batch and the poller that reads it run in different Lambdas. One document per
 * batch, by its display name. The worker keeps them in the images bucket under {@code simulated-batches/}.
 */
public interface SimulatedBatches {

    void put(String displayName, byte[] document);

    Optional<byte[]> get(String displayName);
}
