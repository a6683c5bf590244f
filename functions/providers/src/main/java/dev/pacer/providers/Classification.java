package dev.pacer.providers;

import dev.pacer.core.port.ProviderOutcome;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one table that says what a failed provider call means: permanent (Refused), passing
 * (RetryLater), the rate limiter (RateLimited) or maybe billed without an answer (Ambiguous), each
 * with a stable error {@code type} that ends up on the job. Rows are tried in order; the first
 * match wins. Every row has a test with the provider's exact answer.
 */
public final class Classification {

    public enum Kind { REFUSED, RETRY_LATER, RATE_LIMITED, AMBIGUOUS }

    /**
     * One row: for {@code provider} ({@code *} any), HTTP {@code status} ({@code ANY_STATUS} any, or
     * a class such as {@code 400..499} through {@code statusTo}) and a {@code code} matching
     * {@code codePattern} (a regex over {@link ProviderError#code()}, {@code .*} any).
     */
    public record Row(String provider, int status, int statusTo, String codePattern, Kind kind, String type, String why) {
        public Row {
            Objects.requireNonNull(codePattern, "codePattern");
        }

        boolean matches(ProviderError error) {
            return (provider.equals("*") || provider.equals(error.provider()))
                    && (status == ANY_STATUS || (error.status() >= status && error.status() <= statusTo))
                    && Pattern.compile(codePattern).matcher(error.code()).matches();
        }
    }

    public static final int ANY_STATUS = -1;

    private static final String SAFETY_FINISH = "finishReason:(IMAGE_SAFETY|IMAGE_PROHIBITED_CONTENT|SAFETY|PROHIBITED_CONTENT|BLOCKLIST|SPII|RECITATION|IMAGE_RECITATION)";

    public static final List<Row> ROWS = List.of(
            // No answer at all: did the request leave?
            row("*", 0, "CONNECT_FAILED", Kind.RETRY_LATER, "provider_unreachable", "nothing was sent: connection refused or not made in time"),
            row("*", 0, "TIMEOUT_AFTER_SEND", Kind.AMBIGUOUS, "provider_timeout", "sent, no answer in time: may have been generated and billed"),
            row("*", 200, "MALFORMED_ANSWER", Kind.RETRY_LATER, "provider_bad_answer", "a 200 without the images or the shape it should have"),
            row("*", 0, "CONNECTION_LOST", Kind.AMBIGUOUS, "provider_connection_lost", "sent, connection broke before the answer: may have been billed"),
            row("*", 0, "INPUT_UNREADABLE", Kind.RETRY_LATER, "input_unreadable", "an input image could not be read while sending: no whole request left"),

            // Gemini: blocks inside a 200 answer
            row("gemini", 200, "blockReason:.*", Kind.REFUSED, "safety_block", "promptFeedback.blockReason: the prompt was blocked"),
            row("gemini", 200, SAFETY_FINISH, Kind.REFUSED, "safety_block", "finishReason says the output was blocked"),
            row("gemini", 200, "finishReason:.*|NO_IMAGE_PART", Kind.REFUSED, "no_image", "NO_IMAGE, IMAGE_OTHER, OTHER, or an answer with text only"),
            // Gemini: HTTP errors, named by error.status
            row("gemini", 429, ".*", Kind.RATE_LIMITED, "rate_limited", "RESOURCE_EXHAUSTED: RPM, IPM, RPD or TPM"),
            row("gemini", 400, "API_KEY_INVALID", Kind.REFUSED, "provider_auth", "400 with ErrorInfo API_KEY_INVALID: the key is wrong"),
            row("gemini", 400, "FAILED_PRECONDITION", Kind.REFUSED, "provider_precondition", "billing or region: the account cannot use the model"),
            row("gemini", 400, ".*", Kind.REFUSED, "invalid_request", "INVALID_ARGUMENT: the request as sent can never work"),
            row("gemini", 401, 403, ".*", Kind.REFUSED, "provider_auth", "UNAUTHENTICATED / PERMISSION_DENIED: key invalid or not allowed"),
            row("gemini", 404, ".*", Kind.REFUSED, "model_not_found", "NOT_FOUND: no such model (or not for this key)"),
            row("gemini", 503, ".*", Kind.RETRY_LATER, "provider_unavailable", "UNAVAILABLE: the model is overloaded"),
            row("gemini", 504, ".*", Kind.RETRY_LATER, "provider_deadline_exceeded", "DEADLINE_EXCEEDED: the provider gave up"),

            // OpenAI, named by error.code
            row("openai", 429, "insufficient_quota", Kind.REFUSED, "quota_exhausted", "billing: no credit left, waiting does not help"),
            row("openai", 429, ".*", Kind.RATE_LIMITED, "rate_limited", "rate_limit_exceeded: RPM, IPM or TPM"),
            row("openai", 400, "moderation_blocked|content_policy_violation", Kind.REFUSED, "safety_block", "the safety system rejected the prompt"),
            row("openai", 400, ".*", Kind.REFUSED, "invalid_request", "invalid_request_error: the request as sent can never work"),
            row("openai", 401, 403, ".*", Kind.REFUSED, "provider_auth", "invalid key, or the organisation may not use the model"),
            row("openai", 404, ".*", Kind.REFUSED, "model_not_found", "no such model"),
            row("openai", 503, ".*", Kind.RETRY_LATER, "provider_unavailable", "overloaded"),
            row("openai", 504, ".*", Kind.RETRY_LATER, "provider_deadline_exceeded", "the provider gave up"),

            // Bedrock, named by the exception
            row("bedrock", ANY_STATUS, "ThrottlingException|ServiceQuotaExceededException", Kind.RATE_LIMITED, "rate_limited", "429: over the account's quota"),
            row("bedrock", ANY_STATUS, "ContentFiltered", Kind.REFUSED, "safety_block", "all images blocked by the content filters (200 with error)"),
            row("bedrock", ANY_STATUS, "ValidationException:ContentFilter", Kind.REFUSED, "safety_block", "the prompt was blocked by the content filters"),
            row("bedrock", ANY_STATUS, "ValidationException", Kind.REFUSED, "invalid_request", "input validation"),
            row("bedrock", ANY_STATUS, "AccessDeniedException", Kind.REFUSED, "provider_auth", "no access to the model"),
            row("bedrock", ANY_STATUS, "ResourceNotFoundException", Kind.REFUSED, "model_not_found", "no such model in the region"),
            row("bedrock", ANY_STATUS, "ModelTimeoutException", Kind.RETRY_LATER, "provider_deadline_exceeded", "the model took too long"),
            row("bedrock", ANY_STATUS, "ServiceUnavailableException|ModelNotReadyException", Kind.RETRY_LATER, "provider_unavailable", "overloaded or starting"),

            // Anyone: what is left, by status class
            row("*", 429, ".*", Kind.RATE_LIMITED, "rate_limited", "any other 429"),
            row("*", 500, 599, ".*", Kind.RETRY_LATER, "provider_error", "any other 5xx: INTERNAL and friends"),
            row("*", 400, 499, ".*", Kind.REFUSED, "provider_rejected", "any other 4xx"),
            row("*", ANY_STATUS, ".*", Kind.RETRY_LATER, "provider_error", "anything else: try again, within the attempt limit"));

    /**
     * What each type says to the caller: a fixed text. A provider's own message can carry anything (account ids, role
     * ARNs, a whole body), so it goes to the log and never to the job, its callback or its event.
     */
    private static final Map<String, String> SAYS = Map.ofEntries(
            Map.entry("provider_unreachable", "the provider could not be reached; nothing was sent"),
            Map.entry("provider_timeout", "no answer in time after the request was sent; the provider may have generated and billed it"),
            Map.entry("provider_bad_answer", "the provider's answer had no usable image"),
            Map.entry("provider_connection_lost", "the connection broke after the request was sent; the provider may have generated and billed it"),
            Map.entry("input_unreadable", "an input image could not be read from storage while the request was sent (it may have expired); "
                    + "nothing was generated"),
            Map.entry("safety_block", "the provider's safety filters blocked the prompt or the image"),
            Map.entry("no_image", "the provider answered without an image"),
            Map.entry("rate_limited", "the account's rate limit at the provider was reached"),
            Map.entry("provider_auth", "the provider refused the account's key, or the account may not use the model"),
            Map.entry("provider_precondition", "the account cannot use the model (billing or region)"),
            Map.entry("invalid_request", "the provider refused the request as invalid"),
            Map.entry("model_not_found", "the provider does not know the model, or not for this account"),
            Map.entry("provider_unavailable", "the provider is overloaded"),
            Map.entry("provider_deadline_exceeded", "the provider gave up on the request"),
            Map.entry("quota_exhausted", "the account has no credit left at the provider; waiting does not help"),
            Map.entry("provider_error", "the provider failed"),
            Map.entry("provider_rejected", "the provider rejected the request"));

    /** A provider's code or quota id goes into a message only if it looks like one: a short identifier. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:\\-]{1,80}");

    private static final System.Logger LOG = System.getLogger(Classification.class.getName());

    private Classification() {
    }

    /** The fixed text a failure of {@code type} shows its caller. */
    public static String says(String type) {
        return SAYS.getOrDefault(type, "the provider call failed");
    }

    public static Row rowFor(ProviderError error) {
        return ROWS.stream().filter(row -> row.matches(error)).findFirst().orElseThrow();
    }

    /**
     * The outcome {@code error} stands for. Its message is fixed text from the provider, HTTP status, code, quota id
     * and type; the provider's own message is logged here, on the thread of the job's call.
     */
    public static ProviderOutcome.Failure classify(ProviderError error) {
        Row row = rowFor(error);
        String message = describe(error, row.type());
        LOG.log(System.Logger.Level.INFO, "{0} call failed, {1}: {2}", error.provider(), row.type(), raw(error));
        return switch (row.kind()) {
            case REFUSED -> new ProviderOutcome.Refused(row.type(), message);
            case RETRY_LATER -> new ProviderOutcome.RetryLater(row.type(), message);
            case AMBIGUOUS -> new ProviderOutcome.Ambiguous(row.type(), message);
            case RATE_LIMITED -> new ProviderOutcome.RateLimited(row.type(), message, error.retryAfter(),
                    // A per-day quota's short retryDelay is a trap: the account is done until its provider day turns.
                    error.quotaId().map(id -> id.contains("PerDay")).orElse(false), error.quotaId(), error.dimensions(),
                    error.stated());
        };
    }

    /** {@code gemini 429 RESOURCE_EXHAUSTED [quota GenerateRequestsPerDayPerProjectPerModel]: <the type's fixed text>}. */
    private static String describe(ProviderError error, String type) {
        return where(error, identifier(error.code()), error.quotaId().map(Classification::identifier)) + ": " + says(type);
    }

    /** What the provider said, as it said it: for the log only. */
    private static String raw(ProviderError error) {
        return where(error, error.code(), error.quotaId()) + ": " + error.message();
    }

    private static String where(ProviderError error, String code, Optional<String> quotaId) {
        String where = error.status() == 0 ? error.provider() : error.provider() + " " + error.status();
        return where + " " + code + quotaId.map(id -> " [quota " + id + "]").orElse("");
    }

    private static String identifier(String text) {
        return IDENTIFIER.matcher(text).matches() ? text : "(unrecognised code)";
    }

    private static Row row(String provider, int status, String code, Kind kind, String type, String why) {
        return new Row(provider, status, status, code, kind, type, why);
    }

    private static Row row(String provider, int from, int to, String code, Kind kind, String type, String why) {
        return new Row(provider, from, to, code, kind, type, why);
    }
}
