package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.port.InputImages;
import dev.pacer.providers.http.StreamedBody;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * The body of {@code POST /v1/images/generations} for a request, as both lanes send it: the sync lane posts it, the
 * batch lane puts it on a line of the batch's input file; and an edit's JSON body for the batch lane's
 * {@code /v1/images/edits} lines.
 */
final class OpenAiRequests {

    private final String quality;
    private final String outputFormat;
    private final ModelCatalog catalog;

    OpenAiRequests(String quality, String outputFormat, ModelCatalog catalog) {
        this.quality = quality;
        this.outputFormat = outputFormat;
        this.catalog = catalog;
    }

    ObjectNode body(GenerationRequest request) {
        return JSON.createObjectNode()
                .put("model", catalog.find(request.model()).map(ModelSpec::providerModel).orElse(request.model()))
                .put("prompt", request.prompt())
                .put("n", request.count())
                .put("size", size(request.aspectRatio()))
                .put("quality", quality)
                .put("output_format", outputFormat);
    }

    /**
     * Whether an edit of this model carries {@code input_fidelity=high} (faces and details of the inputs kept): where
     * the catalog says the model takes it (the mini model does not).
     */
    boolean takesInputFidelity(GenerationRequest request) {
        return catalog.find(request.model()).map(model -> model.inputs().takesInputFidelity()).orElse(false);
    }

    /**
     * An edit as the JSON form of {@code POST /v1/images/edits} (the batch lane's: a JSONL line cannot carry multipart):
     * the generation's fields, then {@code images: [{"image_url": "data:<type>;base64,…"}]} in the submission's order,
     * the {@code mask} as one more image reference, and {@code input_fidelity} where the model takes it. Each image's
     * base64 is streamed from {@code inputs} where its placeholder stands.
     */
    StreamedBody editJson(GenerationRequest request, InputImages inputs) {
        ObjectNode body = body(request);
        String marker = "pacer-input-" + UUID.randomUUID() + "-";
        List<InputImage> images = new ArrayList<>(request.inputs());
        ArrayNode refs = body.putArray("images");
        for (int i = 0; i < request.inputs().size(); i++) {
            refs.addObject().put("image_url", "data:" + images.get(i).contentType() + ";base64," + marker + i);
        }
        request.mask().ifPresent(mask -> {
            body.putObject("mask").put("image_url", "data:" + mask.contentType() + ";base64," + marker + images.size());
            images.add(mask);
        });
        if (takesInputFidelity(request)) {
            body.put("input_fidelity", "high");
        }
        return StreamedBody.jsonWithBase64(body.toString(), marker, images.stream().map(InputImage::bytes).toList(),
                i -> inputs.open(images.get(i).key()));
    }

    /** GPT Image's three sizes, the same for every GPT Image model; the catalog lets only these ratios through. */
    static String size(String aspectRatio) {
        return switch (aspectRatio) {
            case "3:2" -> "1536x1024";
            case "2:3" -> "1024x1536";
            case "1:1" -> "1024x1024";
            default -> throw new IllegalArgumentException("no OpenAI size for aspect ratio " + aspectRatio);
        };
    }
}
