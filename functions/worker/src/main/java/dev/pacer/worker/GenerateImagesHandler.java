package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import jakarta.inject.Named;

/**
 * The worker Lambda: one SQS batch in, the messages to retry out. Records run in parallel, since
 * each blocks for seconds to minutes on the provider; a failed record never fails its neighbours.
 */
@Named(GenerateImagesHandler.NAME)
public class GenerateImagesHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** The name QUARKUS_LAMBDA_HANDLER selects it by (the package's default). */
    static final String NAME = "generate-images";

    private final JobDelivery delivery;

    public GenerateImagesHandler(JobDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatches.inParallel(event, delivery.executor(), delivery::handle);
    }
}
