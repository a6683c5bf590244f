package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * The body of {@code POST /v1/images/generations} for a request, as both lanes send it: the sync lane posts it, the
 * batch lane puts it on a line of the batch's input file.
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
