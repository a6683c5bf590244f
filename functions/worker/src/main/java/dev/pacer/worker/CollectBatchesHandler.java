package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.pacer.core.usecase.CollectBatches;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The batch lane's collector, on a schedule (same package as the worker, {@code QUARKUS_LAMBDA_HANDLER=collect-batches}):
 * closes provider batches from the jobs waiting on the batch lane, and finishes the intents of runs that died.
 */
@Named("collect-batches")
public class CollectBatchesHandler implements RequestHandler<Map<String, Object>, String> {

    private static final Logger LOG = Logger.getLogger(CollectBatchesHandler.class);

    private final CollectBatches collector;

    public CollectBatchesHandler(CollectBatches collector) {
        this.collector = collector;
    }

    @Override
    public String handleRequest(Map<String, Object> scheduledEvent, Context context) {
        CollectBatches.Collected collected = collector.collect();
        LOG.infof("opened %d batches of %d jobs; reconciled %d intents; moved %d jobs to the sync lane", collected.opened(), collected.jobs(),
                collected.reconciled(), collected.toSyncLane());
        return collected.toString();
    }
}
