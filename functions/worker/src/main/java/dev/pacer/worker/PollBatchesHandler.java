package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.pacer.core.usecase.PollBatches;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The batch lane's poller, on a schedule (same package as the worker, {@code QUARKUS_LAMBDA_HANDLER=poll-batches}):
 * polls the open provider batches and settles those that finished.
 */
@Named("poll-batches")
public class PollBatchesHandler implements RequestHandler<Map<String, Object>, String> {

    private static final Logger LOG = Logger.getLogger(PollBatchesHandler.class);

    private final PollBatches poller;

    public PollBatchesHandler(PollBatches poller) {
        this.poller = poller;
    }

    @Override
    public String handleRequest(Map<String, Object> scheduledEvent, Context context) {
        PollBatches.Polled polled = poller.poll();
        LOG.infof("polled %d batches, settled %d: %d jobs succeeded, %d failed, %d waiting again", polled.polled(), polled.settled(),
                polled.succeeded(), polled.failed(), polled.requeued());
        return polled.toString();
    }
}
