package dev.pacer.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.core.job.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a submission's bytes: at most {@code pacer.max-body-bytes}, strict UTF-8, then strict JSON
 * (no unknown fields, duplicate keys, trailing tokens or type coercion). Taking the bytes ourselves
 * means each of those is a problem naming the body, not a framework error page.
 */
@ApplicationScoped
public class SubmissionBodies {

    public static final class BodyTooLargeException extends RuntimeException {
        BodyTooLargeException(int limit) {
            super("the body must be at most " + limit + " bytes");
        }
    }

    private final ObjectMapper json;
    private final int maxBytes;

    public SubmissionBodies(ObjectMapper json, IntakeConfig config) {
        this.json = json;
        this.maxBytes = config.maxBodyBytes();
    }

    public SubmitGenerationBody parse(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw new InvalidRequestException("body", "a JSON object with at least a prompt is required");
        }
        if (raw.length > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("body", "must be UTF-8 encoded JSON");
        }
        // API Gateway hands a JSON body over as text: bytes that were not UTF-8 arrive as U+FFFD.
        if (text.indexOf('\uFFFD') >= 0) {
            throw new InvalidRequestException("body", "must be UTF-8 encoded JSON (it has bytes that are not UTF-8)");
        }
        try {
            SubmitGenerationBody body = json.readValue(text, SubmitGenerationBody.class);
            if (body == null) {
                throw new InvalidRequestException("body", "a JSON object with at least a prompt is required");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new MalformedSubmissionException(e);
        }
    }

    /** Carries Jackson's exception to the problem mappers, which name the field from its path. */
    public static final class MalformedSubmissionException extends RuntimeException {
        MalformedSubmissionException(JsonProcessingException cause) {
            super(cause);
        }

        public JsonProcessingException json() {
            return (JsonProcessingException) getCause();
        }
    }
}
