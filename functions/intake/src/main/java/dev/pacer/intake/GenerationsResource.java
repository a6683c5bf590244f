package dev.pacer.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.pacer.api.GenerationResponse;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.JobId;
import dev.pacer.core.usecase.CancelGeneration;
import dev.pacer.core.usecase.InputRef;
import dev.pacer.core.usecase.ReadGeneration;
import dev.pacer.core.usecase.Submission;
import dev.pacer.core.usecase.SubmitGeneration;
import dev.pacer.intake.problem.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POST /v1/generations accepts a job at once; GET /v1/generations/{id} reports on it; DELETE /v1/generations/{id}
 * cancels it, if it has not started.
 */
@Path("/v1/generations")
@Produces(MediaType.APPLICATION_JSON)
public class GenerationsResource {

    private static final Logger LOG = Logger.getLogger(GenerationsResource.class);

    private final SubmitGeneration submitGeneration;
    private final ReadGeneration readGeneration;
    private final CancelGeneration cancelGeneration;
    private final CallerResolver callers;
    private final SubmissionBodies bodies;

    public GenerationsResource(SubmitGeneration submitGeneration, ReadGeneration readGeneration, CancelGeneration cancelGeneration,
            CallerResolver callers, SubmissionBodies bodies) {
        this.submitGeneration = submitGeneration;
        this.readGeneration = readGeneration;
        this.cancelGeneration = cancelGeneration;
        this.callers = callers;
        this.bodies = bodies;
    }

    public record Accepted(String id, String status, String lane, Map<String, String> links) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(byte[] rawBody, @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Context APIGatewayV2HTTPEvent event) {
        String caller = callers.callerOf(event);
        Optional<IdempotencyKey> key = idempotencyKey(idempotencyKey, event);
        SubmitGenerationBody body = bodies.parse(rawBody);
        SubmitGeneration.Submitted submitted = submitGeneration.submit(new Submission(body.prompt(), Optional.ofNullable(body.model()),
                Optional.ofNullable(body.resolution()), Optional.ofNullable(body.aspectRatio()),
                Optional.ofNullable(body.count()), body.metadata(), Optional.ofNullable(body.callbackUrl()),
                Optional.ofNullable(body.deadline()), Optional.ofNullable(body.lane()), inputs(body.inputs()),
                Optional.ofNullable(body.mask()).map(GenerationsResource::input)), caller, key);
        Job job = submitted.job();
        MDC.put("jobId", job.id().value()); // JSON log lines carry it; the prompt is never logged
        try {
            LOG.infof("job %s %s: %s at %s, %d image(s), %d input image(s)", job.id(),
                    submitted.replayed() ? "replayed for its Idempotency-Key" : "accepted", job.request().model(),
                    job.request().resolution().label(), job.request().count(), job.request().inputs().size());
        } finally {
            MDC.remove("jobId");
        }
        String self = "/v1/generations/" + job.id();
        return Response.accepted(new Accepted(job.id().value(), job.status().name(), job.lane().lane().label(), Map.of("self", self)))
                .location(URI.create(self))
                .header("Idempotent-Replayed", submitted.replayed() ? "true" : null)
                .build();
    }

    private static List<InputRef> inputs(List<SubmitGenerationBody.Input> sent) {
        if (sent == null) {
            return List.of();
        }
        List<InputRef> refs = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i) == null) {
                throw new InvalidRequestException("inputs[" + i + "]", "must be {\"upload\": id} or {\"job\": id, \"index\": n}");
            }
            refs.add(input(sent.get(i)));
        }
        return refs;
    }

    private static InputRef input(SubmitGenerationBody.Input sent) {
        return new InputRef(Optional.ofNullable(sent.upload()), Optional.ofNullable(sent.job()), Optional.ofNullable(sent.index()));
    }

    /**
     * The key the caller sent, if any. A header sent empty (or blank) is a malformed key, not "no key": the HTTP
     * layer hands such a header over as absent, so the event API Gateway passed on says whether it was sent.
     */
    static Optional<IdempotencyKey> idempotencyKey(String header, APIGatewayV2HTTPEvent event) {
        if (header != null && !header.isEmpty()) {
            return Optional.of(new IdempotencyKey(header));
        }
        Map<String, String> sent = event == null || event.getHeaders() == null ? Map.of() : event.getHeaders();
        return sent.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase("Idempotency-Key"))
                .findFirst()
                .map(entry -> new IdempotencyKey(entry.getValue() == null ? "" : entry.getValue()));
    }

    @GET
    @Path("/{id}")
    public Response read(@PathParam("id") String id, @Context APIGatewayV2HTTPEvent event) {
        String caller = callers.callerOf(event);
        return readGeneration.read(new JobId(id), caller)
                .map(view -> Response.ok(GenerationResponse.of(view)).build())
                .orElseGet(() -> notFound(id));
    }

    /** 200 with the CANCELLED job; 409 for a job that runs (it is then not tried again) or has finished. */
    @DELETE
    @Path("/{id}")
    public Response cancel(@PathParam("id") String id, @Context APIGatewayV2HTTPEvent event) {
        String caller = callers.callerOf(event);
        CancelGeneration.Outcome outcome = cancelGeneration.cancel(new JobId(id), caller);
        if (outcome instanceof CancelGeneration.Outcome.Cancelled cancelled) {
            LOG.infof("job %s cancelled by its owner", id);
            return Response.ok(GenerationResponse.of(cancelled.view())).build();
        }
        if (outcome instanceof CancelGeneration.Outcome.Running running && running.job().status() == JobStatus.BATCHED) {
            return Problem.response(409, "job-batched", "Job is in a provider batch", "job " + id + " is BATCHED: its line is with the "
                    + "provider in batch " + running.job().batchId().orElse("?") + " and cannot be taken back; it ends with its line");
        }
        if (outcome instanceof CancelGeneration.Outcome.Running) {
            LOG.infof("job %s: its owner asked to cancel it while it runs; it will not be tried again", id);
            return Problem.response(409, "job-running", "Job is running", "job " + id + " is RUNNING: its provider call cannot be "
                    + "taken back, so it may still succeed or fail; it will not be tried again, and where it would have been it "
                    + "ends CANCELLED");
        }
        if (outcome instanceof CancelGeneration.Outcome.Finished finished) {
            return Problem.response(409, "job-finished", "Job has finished", "job " + id + " has already finished: "
                    + finished.job().status());
        }
        return notFound(id);
    }

    private static Response notFound(String id) {
        return Problem.response(404, "not-found", "No such generation", "no generation has id " + id);
    }
}
