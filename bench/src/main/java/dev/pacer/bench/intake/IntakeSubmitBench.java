package dev.pacer.bench.intake;

import dev.pacer.aws.catalog.ModelCatalogs;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pacer.aws.cloudwatch.EmfJobMetrics;
import dev.pacer.core.usecase.CancelGeneration;
import dev.pacer.core.usecase.ReadGeneration;
import dev.pacer.core.usecase.SubmissionValidator;
import dev.pacer.core.usecase.SubmitGeneration;
import dev.pacer.intake.CallerResolver;
import dev.pacer.intake.GenerationsResource;
import dev.pacer.intake.IntakeConfig;
import dev.pacer.intake.IntakeWiring;
import dev.pacer.intake.StrictJson;
import dev.pacer.intake.SubmissionBodies;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.ws.rs.core.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The intake's submit path without its two round trips (PutItem, SendMessage): a payload-2.0 API Gateway event in,
 * the payload-2.0 response out, through pacer's own code — {@link CallerResolver}, {@link GenerationsResource#submit}
 * with {@link SubmissionBodies} on the {@link StrictJson} mapper, {@link SubmissionValidator} and
 * {@link SubmitGeneration} — with the I/O ports replaced by {@link NoIoPorts}. What Quarkus does between the event and
 * the resource method (the virtual HTTP request through Vert.x, RESTEasy Reactive's routing and CDI proxies) is not
 * in it: the JSON in and out is done here with the same Jackson settings instead.
 *
 * <p>{@link #baselineEventRoundTrip} is the floor in the same run: the same event read and a same-sized response
 * written, no pacer code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IntakeSubmitBench {

    private byte[] event;
    private ObjectReader eventReader;
    private ObjectWriter responseWriter;
    private ObjectMapper json;
    private GenerationsResource resource;

    @Setup
    public void setUp() {
        event = resource("/events/submit-generation.json");
        // the Lambda runtime's reading of the event: lenient about fields it does not model
        ObjectMapper lambda = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        eventReader = lambda.readerFor(APIGatewayV2HTTPEvent.class);
        responseWriter = lambda.writerFor(APIGatewayV2HTTPResponse.class);
        // the intake's mapper: Quarkus's defaults as application.properties sets them, then StrictJson
        json = JsonMapper.builder().findAndAddModules()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        new StrictJson().customize(json);
        IntakeConfig config = intakeConfig();
        NoIoPorts noIo = new NoIoPorts();
        // the metrics line is built as in the intake, then dropped instead of printed
        EmfJobMetrics metrics = new EmfJobMetrics("pacer-bench", Clock.systemUTC(), line -> { });
        SubmitGeneration submit = IntakeWiring.submitGeneration(config, ModelCatalogs.bundled(), noIo, noIo, metrics, Clock.systemUTC(),
                dev.pacer.core.usecase.BatchSupport.none(), dev.pacer.core.usecase.BatchLaneSettings.standard());
        ReadGeneration read = new ReadGeneration(noIo, noIo, config.imageUrlValidity());
        resource = new GenerationsResource(submit, read, new CancelGeneration(noIo, read, noIo, metrics, Clock.systemUTC()),
                new CallerResolver(config), new SubmissionBodies(json, config));
    }

    @Benchmark
    public byte[] submit() throws IOException {
        APIGatewayV2HTTPEvent request = eventReader.readValue(event);
        byte[] body = request.getBody().getBytes(StandardCharsets.UTF_8);
        Response accepted = resource.submit(body, request.getHeaders().get("idempotency-key"), request);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        accepted.getStringHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return responseWriter.writeValueAsBytes(APIGatewayV2HTTPResponse.builder()
                .withStatusCode(accepted.getStatus())
                .withHeaders(headers)
                .withBody(json.writeValueAsString(accepted.getEntity()))
                .withIsBase64Encoded(false)
                .build());
    }

    @Benchmark
    public byte[] baselineEventRoundTrip() throws IOException {
        APIGatewayV2HTTPEvent request = eventReader.readValue(event);
        return responseWriter.writeValueAsBytes(APIGatewayV2HTTPResponse.builder()
                .withStatusCode(202)
                .withHeaders(Map.of("Content-Type", "application/json", "Location", request.getRawPath()))
                .withBody(request.getRequestContext().getRequestId())
                .withIsBase64Encoded(false)
                .build());
    }

    static byte[] resource(String name) {
        try (InputStream in = IntakeSubmitBench.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The intake's real configuration mapping with its defaults and a deployed API's auth (no local caller header). */
    static IntakeConfig intakeConfig() {
        return new SmallRyeConfigBuilder()
                .withMapping(IntakeConfig.class)
                .withSources(new PropertiesConfigSource(Map.of(), "bench", 500))
                .build()
                .getConfigMapping(IntakeConfig.class);
    }
}
