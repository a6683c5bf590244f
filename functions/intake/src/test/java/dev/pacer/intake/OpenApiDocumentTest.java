package dev.pacer.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Usage;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/openapi.yaml against the code: the same routes, and real answers with the documented statuses and fields. */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class OpenApiDocumentTest {

    private static final java.nio.file.Path DOCUMENT = java.nio.file.Path.of(System.getProperty("pacer.root", "../.."), "docs", "openapi.yaml");
    private static final String CALLER = "openapi-reader";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document = read();

    @Test
    void everyResourceMethodIsDocumentedAndEveryDocumentedOperationExists() throws IOException {
        Set<String> routes = new TreeSet<>();
        for (Class<?> resource : resourceClasses()) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                verb(method).ifPresent(verb -> {
                    Path sub = method.getAnnotation(Path.class);
                    routes.add(verb + " " + join(base, sub == null ? "" : sub.value()));
                });
            }
        }

        assertEquals(routes, documentedOperations());
    }

    @Test
    void everyFieldTheAnswerRecordsCanCarryIsDocumented() {
        // A real answer shows only the fields its job has (a shortfall, a callback); the records say all there can be.
        for (var answer : java.util.Map.of("Generation", dev.pacer.api.GenerationResponse.class,
                "Capacity", CapacityResource.CapacityResponse.class).entrySet()) {
            JsonNode properties = document.path("components").path("schemas").path(answer.getKey()).path("properties");
            Set<String> missing = new TreeSet<>();
            for (var component : answer.getValue().getRecordComponents()) {
                if (!properties.has(component.getName())) {
                    missing.add(component.getName());
                }
            }
            assertTrue(missing.isEmpty(), answer.getKey() + " in docs/openapi.yaml lacks " + missing);
        }
    }

    @Test
    void realAnswersHaveTheDocumentedStatusMediaTypeAndTopLevelFields() {
        Set<String> exercised = new HashSet<>();
        String body = "{\"prompt\":\"a lighthouse at dusk\",\"resolution\":\"1K\"}";
        Response accepted = check(exercised, "post", "/v1/generations", r -> r.contentType("application/json")
                .header("Idempotency-Key", "openapi-1").body(body));
        check(exercised, "post", "/v1/generations", r -> r.contentType("application/json")
                .header("Idempotency-Key", "openapi-1").body(body));
        check(exercised, "post", "/v1/generations", r -> r.contentType("application/json")
                .header("Idempotency-Key", "openapi-1").body("{\"prompt\":\"another\"}"));
        check(exercised, "post", "/v1/generations", r -> r.contentType("application/json").body("{\"prompt\":\"a fox\",\"count\":0}"));
        check(exercised, "post", "/v1/generations", r -> r.contentType("application/json")
                .body("{\"prompt\":\"a fox\",\"model\":\"gpt-image-1\"}"));
        check(exercised, "post", "/v1/generations", r -> r.contentType("application/json")
                .body("{\"prompt\":\"" + "x".repeat(70_000) + "\"}"));
        check(exercised, "post", "/v1/generations", r -> r.contentType("text/plain").body(body));

        String queued = accepted.path("id");
        check(exercised, "get", "/v1/generations/{id}", r -> r.pathParam("id", queued));
        String withDeadline = check(exercised, "post", "/v1/generations", r -> r.contentType("application/json")
                .body("{\"prompt\":\"a fox\",\"deadline\":\"" + Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        + "\"}")).path("id");
        check(exercised, "get", "/v1/generations/{id}", r -> r.pathParam("id", withDeadline));
        String failed = failedJobWithAnAttempt();
        check(exercised, "get", "/v1/generations/{id}", r -> r.pathParam("id", failed));
        check(exercised, "get", "/v1/generations/{id}", r -> r.pathParam("id", JobId.random().value()));
        check(exercised, "get", "/v1/generations/{id}", r -> r.pathParam("id", "not-a-job"));

        check(exercised, "delete", "/v1/generations/{id}", r -> r.pathParam("id", queued));
        check(exercised, "delete", "/v1/generations/{id}", r -> r.pathParam("id", failed));
        check(exercised, "delete", "/v1/generations/{id}", r -> r.pathParam("id", JobId.random().value()));
        check(exercised, "delete", "/v1/generations/{id}", r -> r.pathParam("id", "not-a-job"));

        check(exercised, "post", "/v1/uploads", r -> r.contentType("application/json").body("{\"contentType\":\"image/png\",\"bytes\":100}"));
        check(exercised, "post", "/v1/uploads", r -> r.contentType("application/json").body("{\"contentType\":\"image/gif\",\"bytes\":100}"));
        check(exercised, "post", "/v1/generations", r -> r.contentType("application/json")
                .body("{\"prompt\":\"p\",\"inputs\":[{\"upload\":\"nobodys\"}]}"));

        check(exercised, "get", "/v1/quota", r -> r);

        check(exercised, "get", "/v1/capacity", r -> r.queryParam("model", "gemini-3.1-flash-image")
                .queryParam("resolution", "1K").queryParam("imagesPerMinute", "20"));
        check(exercised, "get", "/v1/capacity", r -> r.queryParam("model", "gemini-3.1-flash-image"));

        Set<String> documentedSuccesses = new TreeSet<>();
        for (String operation : documentedOperations()) {
            String[] verbAndPath = operation.split(" ");
            operation(verbAndPath[0].toLowerCase(), verbAndPath[1]).path("responses").fieldNames().forEachRemaining(status -> {
                if (status.startsWith("2")) {
                    documentedSuccesses.add(operation + " " + status);
                }
            });
        }
        assertTrue(exercised.containsAll(documentedSuccesses), "every documented success answer is tried: " + documentedSuccesses);
    }

    /** Sends the request, then holds its answer to the document: a documented status, media type and top-level fields. */
    private Response check(Set<String> exercised, String verb, String path, UnaryOperator<RequestSpecification> request) {
        Response response = request.apply(given().header("x-pacer-caller", CALLER)).request(verb, path);
        String where = verb.toUpperCase() + " " + path + " " + response.statusCode();
        JsonNode documented = resolve(operation(verb, path).path("responses").path(Integer.toString(response.statusCode())));
        assertTrue(!documented.isMissingNode(), where + " is not documented");
        String mediaType = response.contentType().split(";")[0].strip();
        JsonNode schema = resolve(documented.path("content").path(mediaType).path("schema"));
        assertTrue(!schema.isMissingNode(), where + " answers " + mediaType + ", documented: " + documented.path("content"));

        JsonNode body = parse(response.asString());
        Set<String> fields = new TreeSet<>();
        body.fieldNames().forEachRemaining(fields::add);
        Set<String> properties = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        assertTrue(properties.containsAll(fields), where + ": fields " + fields + " beyond the documented " + properties);
        assertTrue(fields.containsAll(required), where + ": fields " + fields + " miss some of the required " + required);
        exercised.add(verb.toUpperCase() + " " + path + " " + response.statusCode());
        return response;
    }

    private static String failedJobWithAnAttempt() {
        var jobs = new DynamoDbJobStore(MotoTestResource.clients().dynamoDb(), MotoTestResource.resources().physicalId("JobsTable"),
                Duration.ofDays(1));
        Instant now = Instant.now();
        Job job = Job.queued(JobId.random(), CALLER, new GenerationRequest("a fox", "gemini-3-pro-image", Resolution.ONE_K, "1:1",
                1, Map.of("batch", "b1")), now);
        jobs.create(job);
        jobs.claim(job.id(), now, now.plusSeconds(780));
        jobs.waitForQuota(job.id(), now.plusSeconds(60), List.of(), now); // so its answer shows quotaWaits
        jobs.claim(job.id(), now.plusSeconds(60), now.plusSeconds(840));
        jobs.markFailed(job.id(), new JobError("safety", "IMAGE_SAFETY"),
                List.of(new Attempt(1, "gemini", "simulated", "gemini-3-pro-image", now, Duration.ofSeconds(3),
                        Attempt.Outcome.REFUSED, Optional.of("safety"), 0, Usage.NONE, BigDecimal.ZERO)),
                now.plusSeconds(4));
        return job.id().value();
    }

    private Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(verb -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(verb)) {
                operations.add(verb.toUpperCase() + " " + path.getKey());
            }
        }));
        return operations;
    }

    private JsonNode operation(String verb, String path) {
        return document.path("paths").path(path).path(verb);
    }

    /** Follows a local {@code $ref} ("#/components/..."); other nodes are returned as they are. */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    private static List<Class<?>> resourceClasses() throws IOException {
        java.nio.file.Path classes = java.nio.file.Path.of("target", "classes");
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(classes)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
                Class<?> type = load(name);
                if (type.isAnnotationPresent(Path.class)) {
                    resources.add(type);
                }
            }
        }
        assertTrue(resources.size() >= 3, "found the resource classes: " + resources);
        return resources;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> verb(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return Optional.of(http.value());
            }
        }
        return Optional.empty();
    }

    /** "/v1/generations" + "/{id}", with a parameter's regex ({id: [a-z]+}) dropped as OpenAPI writes it. */
    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/").replaceAll("/$", "");
        return path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    }

    private static JsonNode read() {
        try {
            return new YAMLMapper().readTree(DOCUMENT.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DOCUMENT.toAbsolutePath(), e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
