package dev.pacer.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.InputImages;
import dev.pacer.providers.http.StreamedBody;

import java.util.List;
import java.util.UUID;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * The {@code GenerateContentRequest} for one image of a request, as both lanes send it: the sync lane posts it to
 * {@code :generateContent}, the batch lane puts it in a batch's requests.
 */
final class GeminiRequests {

    private final ModelCatalog catalog;

    /** @param catalog what each model is called at Gemini and whether it takes an {@code imageSize} */
    GeminiRequests(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** The model's id at Gemini. */
    String providerModel(String model) {
        return catalog.find(model).map(ModelSpec::providerModel).orElse(model);
    }

    JsonNode body(GenerationRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("contents").addObject()
                .put("role", "user")
                .putArray("parts").addObject().put("text", request.prompt());
        ObjectNode config = body.putObject("generationConfig");
        config.putArray("responseModalities").add("IMAGE");
        ObjectNode imageConfig = config.putObject("imageConfig").put("aspectRatio", request.aspectRatio());
        // A model that makes one size only (2.5 Flash Image) takes no imageSize: the catalog says which.
        if (catalog.find(request.model()).map(ModelSpec::takesImageSize).orElse(true)) {
            imageConfig.put("imageSize", imageSize(request.resolution()));
        }
        return body;
    }

    /**
     * The request as it is sent: for an edit, the reference images as {@code inlineData} parts, in the order the
     * submission named them, then the text part, as Google's prompting guidance has it (images before the instruction
     * about them). The JSON of {@link #body} with each image's base64 streamed from {@code inputs} where its
     * {@code data} goes: never the whole image, or its text, in memory. A prompt-only request is its JSON as it is.
     */
    StreamedBody streamed(GenerationRequest request, InputImages inputs) {
        ObjectNode body = (ObjectNode) body(request);
        if (!request.isEdit()) {
            return new StreamedBody().text(body.toString());
        }
        ArrayNode parts = (ArrayNode) body.path("contents").path(0).path("parts");
        String marker = "pacer-input-" + UUID.randomUUID() + "-";
        List<InputImage> images = request.inputs();
        for (int i = 0; i < images.size(); i++) {
            parts.insert(i, JSON.createObjectNode().set("inlineData", JSON.createObjectNode()
                    .put("mimeType", images.get(i).contentType())
                    .put("data", marker + i)));
        }
        return StreamedBody.jsonWithBase64(body.toString(), marker, images.stream().map(InputImage::bytes).toList(),
                i -> inputs.open(images.get(i).key()));
    }

    /**
     * Gemini's {@code imageSize}: upper-case "1K"/"2K"/"4K", "512" for 0.5K (Google's image-generation guide says
     * Gemini 3 image models "can also output 2K, 4K, and 512 (0.5K) images"). The catalog refuses at intake what a
     * model cannot make.
     */
    static String imageSize(Resolution resolution) {
        return resolution == Resolution.HALF_K ? "512" : resolution.label().toUpperCase();
    }
}
