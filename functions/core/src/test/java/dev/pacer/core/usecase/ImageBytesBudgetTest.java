package dev.pacer.core.usecase;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.InFlightImages;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageBytesBudgetTest {

    @Test
    void aFourKImageIsEstimatedAtTwiceAPhotographsPngOfItsSize() {
        assertEquals(52, ImageBytesBudget.mibPerImage(Resolution.FOUR_K));
        assertEquals(13, ImageBytesBudget.mibPerImage(Resolution.TWO_K));
        assertEquals(4, ImageBytesBudget.mibPerImage(Resolution.ONE_K));
        assertEquals(1, ImageBytesBudget.mibPerImage(Resolution.HALF_K));
    }

    @Test
    void theTemplatesWorkerHoldsTwoJobsOfFourFourKImagesAtOnceButNotThree() {
        // MemorySize 1024: -XX:MaxHeapSize=870m (85 %), which the serial GC's Runtime.maxMemory() reports as 841 MiB
        ImageBytesBudget budget = ImageBytesBudget.ofHeap(841L * 1024 * 1024, 0.6, Duration.ZERO);

        assertEquals(504, budget.budgetMib());
        assertTrue(budget.take(request(Resolution.FOUR_K, 4)).isPresent());
        assertTrue(budget.take(request(Resolution.FOUR_K, 4)).isPresent());
        assertEquals(Optional.empty(), budget.take(request(Resolution.FOUR_K, 4)));
        assertTrue(budget.take(request(Resolution.TWO_K, 4)).isPresent(), "smaller jobs still fit beside them");
    }

    @Test
    void aRequestLargerThanTheWholeBudgetTakesAllOfItAndRunsAlone() {
        ImageBytesBudget budget = new ImageBytesBudget(100, Duration.ZERO);

        Optional<InFlightImages.Room> alone = budget.take(request(Resolution.FOUR_K, 4));

        assertTrue(alone.isPresent());
        assertEquals(0, budget.freeMib());
        assertEquals(Optional.empty(), budget.take(request(Resolution.HALF_K, 1)));
        alone.get().close();
        assertEquals(100, budget.freeMib());
    }

    @Test
    void roomIsGivenBackOnceHoweverOftenItIsClosed() {
        ImageBytesBudget budget = new ImageBytesBudget(200, Duration.ZERO);
        InFlightImages.Room room = budget.take(request(Resolution.FOUR_K, 2)).orElseThrow();

        room.close();
        room.close();

        assertEquals(200, budget.freeMib());
    }

    @Test
    void aWaitingRequestGetsTheRoomGivenBackWithinItsWait() throws Exception {
        ImageBytesBudget budget = new ImageBytesBudget(104, Duration.ofSeconds(10));
        InFlightImages.Room first = budget.take(request(Resolution.FOUR_K, 2)).orElseThrow();
        Thread giveBack = new Thread(() -> {
            sleep(200);
            first.close();
        });

        giveBack.start();
        long started = System.nanoTime();
        Optional<InFlightImages.Room> second = budget.take(request(Resolution.FOUR_K, 2));
        giveBack.join();

        assertTrue(second.isPresent());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void aRequestThatFindsNoRoomWithinItsWaitGetsNone() {
        ImageBytesBudget budget = new ImageBytesBudget(104, Duration.ofMillis(100));
        budget.take(request(Resolution.FOUR_K, 2)).orElseThrow();

        assertEquals(Optional.empty(), budget.take(request(Resolution.FOUR_K, 1)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static GenerationRequest request(Resolution resolution, int count) {
        return new GenerationRequest("a fox", "gemini-3.1-flash-image", resolution, "1:1", count, Map.of());
    }
}
