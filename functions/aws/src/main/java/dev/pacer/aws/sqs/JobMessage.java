package dev.pacer.aws.sqs;

import dev.pacer.core.job.JobId;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The body of a jobs-queue message: {@code {"jobId":"<uuid>"}}. The record itself stays in the job store. */
public final class JobMessage {

    private static final Pattern BODY = Pattern.compile("\\{\\s*\"jobId\"\\s*:\\s*\"([0-9a-f-]{36})\"\\s*}");

    public static String body(JobId id) {
        return "{\"jobId\":\"" + id.value() + "\"}";
    }

    /** The job a message is about, or empty for a body pacer did not write. */
    public static Optional<JobId> parse(String body) {
        Matcher matcher = BODY.matcher(body == null ? "" : body.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new JobId(matcher.group(1)));
        } catch (RuntimeException notAnId) {
            return Optional.empty();
        }
    }

    private JobMessage() {
    }
}
