package dev.pacer.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.usecase.CreateUpload;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * POST /v1/uploads {@code {"contentType", "bytes"}}: 201 with an upload id and a form to POST the file to S3 with
 * (docs/edits.md). The image never passes through the API: S3 takes it, within the form's limits.
 */
@Path("/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadsResource {

    private static final Logger LOG = Logger.getLogger(UploadsResource.class);

    private final CreateUpload createUpload;
    private final CallerResolver callers;
    private final ObjectMapper json;

    public UploadsResource(CreateUpload createUpload, CallerResolver callers, ObjectMapper json) {
        this.createUpload = createUpload;
        this.callers = callers;
        this.json = json;
    }

    public record UploadBody(String contentType, Long bytes) {
    }

    /** The form: POST multipart/form-data to {@code url} with {@code fields} in order, then the file as {@code file}. */
    public record Form(URI url, Map<String, String> fields) {
    }

    public record Created(String id, String contentType, long bytes, Instant expiresAt, Form upload, Instant uploadBy) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(byte[] rawBody, @Context APIGatewayV2HTTPEvent event) {
        String caller = callers.callerOf(event);
        UploadBody body = parse(rawBody);
        CreateUpload.Created created = createUpload.create(caller, body.contentType(), body.bytes());
        LOG.infof("upload %s: %s, up to %d bytes", created.upload().id(), created.upload().contentType(), created.upload().declaredBytes());
        return Response.status(201).entity(new Created(created.upload().id(), created.upload().contentType(),
                created.upload().declaredBytes(), created.upload().expiresAt(),
                new Form(created.form().url(), created.form().fields()), created.form().expiresAt())).build();
    }

    private UploadBody parse(byte[] raw) {
        if (raw == null || raw.length == 0 || raw.length > 4096) {
            throw new InvalidRequestException("body", "a JSON object {\"contentType\": \"image/png\", \"bytes\": n} is required");
        }
        try {
            UploadBody body = json.readValue(raw, UploadBody.class);
            if (body == null) {
                throw new InvalidRequestException("body", "a JSON object {\"contentType\": \"image/png\", \"bytes\": n} is required");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new SubmissionBodies.MalformedSubmissionException(e);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("body", "unreadable: " + e.getMessage());
        }
    }
}
