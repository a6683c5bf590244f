package dev.pacer.intake.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.pacer.core.catalog.ModelRetiredException;
import dev.pacer.core.job.InputRefusedException;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.usecase.CallerCap;
import dev.pacer.core.usecase.SubmitGeneration;
import dev.pacer.intake.CallerResolver;
import dev.pacer.intake.SubmissionBodies;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Every error the intake answers is application/problem+json; each mapper says which field is wrong when it knows. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return Problem.response(400, "invalid-request", "Invalid request", e.getMessage(), e.field());
    }

    /** A reference image that cannot be used: its own status and type say why (not found, not ready, not an image, too large). */
    @ServerExceptionMapper
    public Response inputRefused(InputRefusedException e) {
        return Problem.response(e.status(), e.type(), "Input image refused", e.getMessage(), e.field());
    }

    /** Its own type, so a client can tell "switch models" from other bad input; detail, successor and date name the fix. */
    @ServerExceptionMapper
    public Response retiredModel(ModelRetiredException e) {
        return Problem.response(new Problem("urn:pacer:problem:model-retired", "Model retired", 400, e.getMessage(), e.field(),
                e.retirement().successor(), e.retirement().retiredOn().toString()));
    }

    @ServerExceptionMapper
    public Response keyReused(SubmitGeneration.IdempotencyKeyReusedException e) {
        return Problem.response(422, "idempotency-key-reused", "Idempotency-Key reused", e.getMessage(), "Idempotency-Key");
    }

    /** 429 with Retry-After: the caller has as many unfinished jobs as one caller may. */
    @ServerExceptionMapper
    public Response capReached(CallerCap.CapReachedException e) {
        return Response.fromResponse(Problem.response(429, "too-many-unfinished-jobs", "Too many unfinished jobs", e.getMessage()))
                .header("Retry-After", Math.max(1, e.retryAfter().toSeconds()))
                .build();
    }

    @ServerExceptionMapper
    public Response malformedSubmission(SubmissionBodies.MalformedSubmissionException e) {
        return json(e.json());
    }

    @ServerExceptionMapper
    public Response tooLarge(SubmissionBodies.BodyTooLargeException e) {
        return Problem.response(413, "body-too-large", "Body too large", e.getMessage(), "body");
    }

    @ServerExceptionMapper
    public Response unauthenticated(CallerResolver.UnauthenticatedException e) {
        return Problem.response(401, "unauthenticated", "Unauthenticated", e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return Problem.response(400, "malformed-json", "Malformed JSON", "the body is not valid JSON: " + e.getOriginalMessage(), "body");
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return Problem.response(400, "invalid-request", "Invalid request",
                "unknown field '" + e.getPropertyName()
                        + "'; known fields: prompt, model, resolution, aspectRatio, count, metadata, callbackUrl, deadline",
                e.getPropertyName());
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        String field = path(e);
        String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
        return Problem.response(400, "invalid-request", "Invalid request",
                (field.isEmpty() ? "the body" : field) + " must be " + expected, field.isEmpty() ? "body" : field);
    }

    @ServerExceptionMapper
    public Response wrongFormat(InvalidFormatException e) {
        return wrongType(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        if (e instanceof MismatchedInputException mismatched) {
            return wrongType(mismatched);
        }
        if (e instanceof JsonParseException malformed) {
            return malformedJson(malformed);
        }
        if (e instanceof JsonMappingException mapping && !path(mapping).isEmpty()) {
            // e.g. a number past the range of its field: Jackson wraps the parser's error with the field's path
            String field = path(mapping);
            return Problem.response(400, "invalid-request", "Invalid request", field + ": " + e.getOriginalMessage(), field);
        }
        return Problem.response(400, "malformed-json", "Malformed JSON", e.getOriginalMessage(), "body");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return json(json);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        // a failure inside pacer keeps its text in the log: callers get a fixed one
        String detail = status >= 500 ? "the request could not be completed; try again" : e.getMessage();
        return Problem.response(status, title.toLowerCase().replace(' ', '-'), title, detail);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return Problem.response(500, "internal-error", "Internal error", "the request could not be completed; try again");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "a " + type.getSimpleName();
    }
}
