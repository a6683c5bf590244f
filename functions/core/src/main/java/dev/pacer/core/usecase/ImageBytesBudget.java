package dev.pacer.core.usecase;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.InFlightImages;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A budget of heap, in MiB, for the images in flight on one worker instance. A request takes what its images are
 * estimated to need ({@link #mibPerImage}) and waits, first come first served, up to {@code maxWait} for it; a
 * request larger than the whole budget takes all of it, so it runs alone rather than never.
 */
public final class ImageBytesBudget implements InFlightImages {

    private static final long MIB = 1024 * 1024;

    private final int budgetMib;
    private final Duration maxWait;
    private final Semaphore free;

    public ImageBytesBudget(int budgetMib, Duration maxWait) {
        if (budgetMib < 1) {
            throw new IllegalArgumentException("the budget must be at least 1 MiB");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative");
        }
        this.budgetMib = budgetMib;
        this.maxWait = maxWait;
        this.free = new Semaphore(budgetMib, true);
    }

    /** {@code fraction} of {@code maxHeapBytes} (the JVM's {@code Runtime.maxMemory()}). */
    public static ImageBytesBudget ofHeap(long maxHeapBytes, double fraction, Duration maxWait) {
        return new ImageBytesBudget((int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) (maxHeapBytes * fraction / MIB))), maxWait);
    }

    /**
     * The heap one image of the resolution holds while it is fetched and stored: a square image at the resolution's
     * long side at 1.6 bytes per pixel (a 4K PNG of a photograph is about 25 MB), twice, since the decoded bytes are
     * copied once into an array of their exact size. 4K 52 MiB, 2K 13, 1K 4, 0.5K 1.
     */
    public static int mibPerImage(Resolution resolution) {
        long pixels = (long) resolution.longSidePixels() * resolution.longSidePixels();
        return (int) Math.ceil(pixels * 1.6 * 2 / MIB);
    }

    /** What the request takes from the budget: its images' estimate, at most the whole budget. */
    int mibFor(GenerationRequest request) {
        return (int) Math.min(budgetMib, (long) mibPerImage(request.resolution()) * request.count());
    }

    public int budgetMib() {
        return budgetMib;
    }

    /** MiB not taken at the moment. */
    public int freeMib() {
        return free.availablePermits();
    }

    @Override
    public Optional<Room> take(GenerationRequest request) {
        int mib = mibFor(request);
        try {
            if (!free.tryAcquire(mib, maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(new Taken(mib));
    }

    /** Gives its MiB back once, however often it is closed. */
    private final class Taken implements Room {
        private final int mib;
        private boolean given;

        Taken(int mib) {
            this.mib = mib;
        }

        @Override
        public synchronized void close() {
            if (!given) {
                given = true;
                free.release(mib);
            }
        }
    }

    @Override
    public String toString() {
        return "ImageBytesBudget[" + budgetMib + " MiB, waits up to " + maxWait + "]";
    }
}
