package dev.pacer.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.pacer.aws.sqs.JobMessage;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobStore;
import jakarta.inject.Named;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Consumes the dead-letter queue: a job whose message SQS gave up on (the worker crashed or timed
 * out on every delivery) ends FAILED with that reason, so no accepted job is left QUEUED or RUNNING
 * forever. Selected with QUARKUS_LAMBDA_HANDLER=record-dead-letters on the worker's package.
 */
@Named("record-dead-letters")
public class RecordDeadLettersHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = Logger.getLogger(RecordDeadLettersHandler.class);

    private final JobStore jobs;
    private final JobMetrics metrics;
    private final CompletionNotices notices;
    private final Clock clock;

    public RecordDeadLettersHandler(JobStore jobs, JobMetrics metrics, CompletionNotices notices, Clock clock) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.notices = notices;
        this.clock = clock;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            Optional<JobId> id = JobMessage.parse(message.getBody());
            if (id.isEmpty()) {
                LOG.errorf("dead-lettered message %s names no job; dropping it", message.getMessageId());
                continue;
            }
            MDC.put("jobId", id.get().value());
            try {
                record(id.get());
            } catch (RuntimeException e) {
                // left in the dead-letter queue: recorded on a later delivery, or moved back by a redrive
                LOG.errorf(e, "job %s: could not record its dead letter", id.get());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            } finally {
                MDC.remove("jobId");
            }
        }
        return new SQSBatchResponse(failures);
    }

    private void record(JobId id) {
        Optional<Job> found = jobs.find(id);
        found.filter(job -> !job.status().isTerminal()).ifPresent(job -> {
            String last = job.error().map(error -> "; last error: " + error.type() + ": " + error.message()).orElse("");
            JobError error = new JobError("dead_lettered", "the worker did not finish this job in "
                    + job.attempts() + " attempts (crashed or timed out each time)" + last);
            jobs.markFailed(id, error, clock.instant());
            metrics.failed(job, error);
            LOG.warnf("job %s: dead-lettered after %d attempts, now FAILED", id, job.attempts());
        });
        // a job failed here, or on an earlier delivery of this message whose notice was lost, announces its end
        if (found.flatMap(Job::callback).isPresent() && jobs.find(id).filter(Job::awaitsCallbackNotice).isPresent()) {
            notices.jobFinished(id);
        }
    }
}
