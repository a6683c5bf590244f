package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** The API answered with an error: its problem+json {@code detail}, {@code field} and {@code type} when it sent them. */
final class ApiProblem extends RuntimeException {

    private final int status;
    private final Optional<String> field;
    private final Optional<String> type;

    ApiProblem(int status, String detail, Optional<String> field) {
        this(status, detail, field, Optional.empty());
    }

    private ApiProblem(int status, String detail, Optional<String> field, Optional<String> type) {
        super(detail);
        this.status = status;
        this.field = field;
        this.type = type;
    }

    static ApiProblem from(int status, String body) {
        JsonNode problem = Json.readOrNull(body);
        if (problem != null && problem.isObject()) {
            String detail = text(problem, "detail").or(() -> text(problem, "title")).orElse(body.strip());
            return new ApiProblem(status, detail, text(problem, "field"), text(problem, "type"));
        }
        return new ApiProblem(status, body.isBlank() ? "HTTP " + status : body.strip(), Optional.empty());
    }

    private static Optional<String> text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() || value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }

    int status() {
        return status;
    }

    Optional<String> field() {
        return field;
    }

    /** The problem's type, e.g. {@code urn:pacer:problem:job-running}. */
    Optional<String> type() {
        return type;
    }

    /** "HTTP 400, field resolution: resolution: &lt;model&gt; does not support 0.5K; supported: 1K, 2K, 4K". */
    String describe() {
        return "HTTP " + status + field.map(f -> ", field " + f).orElse("") + ": " + getMessage();
    }
}
