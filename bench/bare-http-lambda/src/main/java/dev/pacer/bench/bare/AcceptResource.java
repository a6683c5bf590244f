package dev.pacer.bench.bare;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Answers POST /v1/generations as the intake does, 202 with a JSON body, but stores and sends nothing. */
@Path("/v1/generations")
public class AcceptResource {

    @POST
    public Response accept(byte[] body) {
        return Response.accepted(Map.of("status", "QUEUED", "bytes", body.length)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
