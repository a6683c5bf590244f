package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/** An SQS batch handled record by record side by side; a record that fails never fails its neighbours. */
final class SqsBatches {

    private SqsBatches() {
    }

    /** {@code handle} says whether a message is done with; those it is not are reported as batch item failures. */
    static SQSBatchResponse inParallel(SQSEvent event, ExecutorService executor, Predicate<SQSEvent.SQSMessage> handle) {
        List<CompletableFuture<Boolean>> done = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            done.add(CompletableFuture.supplyAsync(() -> handle.test(message), executor));
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            if (!done.get(i).join()) {
                failures.add(new SQSBatchResponse.BatchItemFailure(event.getRecords().get(i).getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
