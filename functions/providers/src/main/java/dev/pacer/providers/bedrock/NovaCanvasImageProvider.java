package dev.pacer.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.providers.Classification;
import dev.pacer.providers.NoInputImages;
import dev.pacer.providers.Outcomes;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderAdapter;
import dev.pacer.providers.ProviderError;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.http.DecodedJson;
import dev.pacer.providers.http.JsonHttp;
import dev.pacer.providers.http.StreamedBody;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * Amazon Nova Canvas through Bedrock's InvokeModel: a {@code TEXT_IMAGE} task (an edit: {@code IMAGE_VARIATION}) making
 * all of a job's images in one call ({@code numberOfImages}), base64 PNGs in {@code images[]}. A blocked prompt is a
 * ValidationException; blocked output is a 200 whose {@code error} says so.
 */
public final class NovaCanvasImageProvider implements ProviderAdapter {

    static final String PROVIDER = "bedrock";
    static final String CONTENT_FILTERS = "blocked by our content filters";

    private final Function<ProviderAccount, BedrockRuntimeClient> clientFactory;
    private final Map<String, BedrockRuntimeClient> clients = new ConcurrentHashMap<>();
    private final ProviderTimeouts timeouts;
    private final String quality;
    private final ModelCatalog catalog;
    private final InputImages inputs;

    /** A provider for prompts only: an edit's reference images cannot be read. */
    public NovaCanvasImageProvider(Function<ProviderAccount, BedrockRuntimeClient> clientFactory, ProviderTimeouts timeouts, String quality,
            ModelCatalog catalog) {
        this(clientFactory, timeouts, quality, catalog, NoInputImages.INSTANCE);
    }

    /**
     * @param clientFactory builds the client for an account (its region and endpoint); clients are kept per account
     * @param quality       {@code standard} or {@code premium}
     * @param catalog       what each model is called at Bedrock (its model id, or an inference profile)
     * @param inputs        where an edit's reference images are read
     */
    public NovaCanvasImageProvider(Function<ProviderAccount, BedrockRuntimeClient> clientFactory, ProviderTimeouts timeouts, String quality,
            ModelCatalog catalog, InputImages inputs) {
        this.clientFactory = clientFactory;
        this.timeouts = timeouts;
        this.quality = quality;
        this.catalog = catalog;
        this.inputs = inputs;
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, ProviderAccount account) {
        BedrockRuntimeClient client = clients.computeIfAbsent(account.id(), id -> clientFactory.apply(account));
        SdkBytes body;
        try {
            body = request.isEdit() ? SdkBytes.fromByteArrayUnsafe(editBody(request).open().readAllBytes())
                    : SdkBytes.fromUtf8String(body(request, quality).toString());
        } catch (IOException unreadable) {
            return Classification.classify(ProviderError.transport(PROVIDER, ProviderError.Transport.INPUT_UNREADABLE,
                    String.valueOf(unreadable.getMessage())));
        }
        InvokeModelResponse response;
        try {
            response = client.invokeModel(invoke -> invoke
                    .modelId(catalog.find(request.model()).map(ModelSpec::providerModel).orElse(request.model()))
                    .contentType("application/json")
                    .accept("application/json")
                    .body(body)
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(timeouts.forResolution(request.resolution()))));
        } catch (BedrockRuntimeException e) {
            String name = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                    ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? String.valueOf(e.getMessage()) : String.valueOf(e.awsErrorDetails().errorMessage());
            if (name.equals("ValidationException") && message.contains(CONTENT_FILTERS)) {
                name = "ValidationException:ContentFilter";
            }
            return Classification.classify(ProviderError.of(PROVIDER, e.statusCode(), name, message));
        } catch (ApiCallAttemptTimeoutException | ApiCallTimeoutException e) {
            return Classification.classify(ProviderError.transport(PROVIDER, ProviderError.Transport.TIMEOUT_AFTER_SEND,
                    "no answer within " + timeouts.forResolution(request.resolution()).toSeconds() + " s after sending"));
        } catch (SdkClientException e) {
            return Classification.classify(ProviderError.transport(PROVIDER, transportFailure(e), String.valueOf(e.getMessage())));
        }
        return outcome(response.body().asInputStream(), request.count());
    }

    static JsonNode body(GenerationRequest request, String quality) {
        int[] size = pixels(request.resolution(), request.aspectRatio());
        ObjectNode body = JSON.createObjectNode().put("taskType", "TEXT_IMAGE");
        body.putObject("textToImageParams").put("text", request.prompt());
        body.putObject("imageGenerationConfig")
                .put("numberOfImages", request.count())
                .put("width", size[0])
                .put("height", size[1])
                .put("quality", quality);
        return body;
    }

    /**
     * An edit: the {@code IMAGE_VARIATION} task, the prompt as its {@code text} and the reference images, base64, in
     * {@code images} (1 to 5, PNG or JPEG: the catalog refuses others at intake). The SDK sends a body of bytes, so
     * the body is made once, each image encoded into it as it is read.
     */
    StreamedBody editBody(GenerationRequest request) {
        ObjectNode body = (ObjectNode) body(request, quality);
        body.put("taskType", "IMAGE_VARIATION");
        body.remove("textToImageParams");
        String marker = "pacer-input-" + UUID.randomUUID() + "-";
        ObjectNode variation = JSON.createObjectNode().put("text", request.prompt());
        var images = variation.putArray("images");
        for (int i = 0; i < request.inputs().size(); i++) {
            images.add(marker + i);
        }
        variation.put("similarityStrength", SIMILARITY);
        // the task's parameters first, as AWS's examples lay them out
        ObjectNode ordered = JSON.createObjectNode().put("taskType", "IMAGE_VARIATION");
        ordered.set("imageVariationParams", variation);
        ordered.set("imageGenerationConfig", body.get("imageGenerationConfig"));
        String json = ordered.toString();
        List<InputImage> references = request.inputs();
        return StreamedBody.jsonWithBase64(json, marker, references.stream().map(InputImage::bytes).toList(),
                i -> inputs.open(references.get(i).key()));
    }

    /** How close to the inputs the images stay (0.2 to 1.0); AWS's examples use 0.7. */
    static final double SIMILARITY = 0.7;

    /** Long side of the resolution, short side to the ratio; both multiples of 16 as Nova Canvas requires. */
    static int[] pixels(Resolution resolution, String aspectRatio) {
        String[] parts = aspectRatio.split(":");
        double w = Double.parseDouble(parts[0]);
        double h = Double.parseDouble(parts[1]);
        int longSide = resolution.longSidePixels();
        int shortSide = (int) Math.round(longSide * Math.min(w, h) / Math.max(w, h) / 16) * 16;
        return w >= h ? new int[] {longSide, shortSide} : new int[] {shortSide, longSide};
    }

    /** The SDK holds the body as bytes; its images are decoded from them as they are parsed, not from a copy as text. */
    static ProviderOutcome outcome(InputStream body, int asked) {
        JsonNode json;
        try {
            json = DecodedJson.read(body, Set.of("images"));
        } catch (IOException notJson) {
            return Classification.classify(ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "not JSON or not base64: " + JsonHttp.abbreviate(String.valueOf(notJson.getMessage()))));
        }
        List<GeneratedImage> images = new ArrayList<>();
        for (JsonNode image : json.path("images")) {
            Optional<byte[]> bytes = JsonHttp.bytes(image);
            if (bytes.isEmpty()) {
                return Classification.classify(ProviderError.of(PROVIDER, 200, "MALFORMED_ANSWER", "images[] is not base64"));
            }
            images.add(new GeneratedImage(bytes.get(), "image/png"));
        }
        String error = json.path("error").asText("");
        // "All/Some of the generated images have been blocked by our content filters."
        ProviderError whyNotAll = ProviderError.of(PROVIDER, 200, error.contains(CONTENT_FILTERS) ? "ContentFiltered" : "MALFORMED_ANSWER",
                error.isEmpty() ? "asked for " + asked + " images, " + images.size() + " came back" : error);
        if (images.isEmpty()) {
            return Classification.classify(whyNotAll);
        }
        // The images that passed are billed and kept; the blocked ones are the job's shortfall.
        return Outcomes.ofAnswer(asked, new ProviderOutcome.Generated(images), whyNotAll);
    }

    private static ProviderError.Transport transportFailure(SdkClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return ProviderError.Transport.CONNECT_FAILED;
            }
            if (t instanceof SocketTimeoutException) {
                return ProviderError.Transport.TIMEOUT_AFTER_SEND;
            }
        }
        return ProviderError.Transport.CONNECTION_LOST;
    }
}
