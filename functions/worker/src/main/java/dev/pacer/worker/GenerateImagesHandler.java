package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import jakarta.inject.Named;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The worker Lambda: one SQS batch in, the messages to retry out. Records run in parallel, since
 * each blocks for seconds to minutes on the provider; a failed record never fails its neighbours.
 */
@Named("generate-images")
public class GenerateImagesHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final JobDelivery delivery;

    public GenerateImagesHandler(JobDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<CompletableFuture<Boolean>> done = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            done.add(CompletableFuture.supplyAsync(() -> delivery.handle(message), delivery.executor()));
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
