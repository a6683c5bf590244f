package dev.pacer.intake.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document; {@code field} names the part of the request to fix, when there is one. A retired
 * model's problem also names its {@code successor} and the day it was retired ({@code retiredOn}, YYYY-MM-DD), so a
 * client can switch without reading the sentence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, String successor, String retiredOn) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(int status, String slug, String title, String detail) {
        return response(status, slug, title, detail, null);
    }

    public static Response response(int status, String slug, String title, String detail, String field) {
        return response(new Problem("urn:pacer:problem:" + slug, title, status, detail, field, null, null));
    }

    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(MEDIA_TYPE).entity(problem).build();
    }
}
