package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.core.job.JobId;
import dev.pacer.core.usecase.DeliverCallback;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Consumes the callbacks queue: each message names a finished job whose callback is due. The POSTs of a batch run
 * side by side. A failed POST is not a failed message (the use case re-sends it delayed); only an error here (the job
 * store unreachable) leaves the message for SQS to deliver again. Selected with QUARKUS_LAMBDA_HANDLER=deliver-callbacks.
 */
@Named("deliver-callbacks")
public class DeliverCallbacksHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = Logger.getLogger(DeliverCallbacksHandler.class);

    private final DeliverCallback deliverCallback;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "callback-delivery");
        thread.setDaemon(true);
        return thread;
    });

    public DeliverCallbacksHandler(DeliverCallback deliverCallback) {
        this.deliverCallback = deliverCallback;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatches.inParallel(event, executor, this::deliver);
    }

    private boolean deliver(SQSEvent.SQSMessage message) {
        Optional<JobId> id = JobMessage.parse(message.getBody());
        if (id.isEmpty()) {
            LOG.errorf("callback message %s names no job; dropping it", message.getMessageId());
            return true;
        }
        try {
            LOG.infof("job %s callback: %s", id.get(), deliverCallback.deliver(id.get()));
            return true;
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: callback not attempted or not recorded; SQS will deliver the notice again", id.get());
            return false;
        }
    }
}
