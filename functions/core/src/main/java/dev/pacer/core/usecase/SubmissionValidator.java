package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Resolution;

import java.util.Map;

/** Turns a raw submission into a request the catalog can serve, or says which field is wrong. */
public final class SubmissionValidator {

    private static final int MAX_METADATA_KEY_LENGTH = 64;
    private static final int MAX_METADATA_VALUE_LENGTH = 512;

    private final ModelCatalog catalog;
    private final SubmissionRules rules;

    public SubmissionValidator(ModelCatalog catalog, SubmissionRules rules) {
        this.catalog = catalog;
        this.rules = rules;
    }

    public GenerationRequest validate(Submission submission) {
        String prompt = validPrompt(submission.prompt());
        // An alias is recorded as the model it stands for; a retired id is refused naming its successor.
        ModelSpec model = submission.model().map(name -> catalog.require("model", name)).orElse(catalog.defaultModel());
        Resolution resolution = submission.resolution()
                .map(label -> Resolution.fromLabel(label).orElseThrow(() -> new InvalidRequestException("resolution",
                        "unknown resolution '" + label + "'; one of 0.5K, 1K, 2K, 4K")))
                .orElse(model.resolutions().contains(Resolution.ONE_K) ? Resolution.ONE_K : model.resolutions().get(0));
        model.requireResolution(resolution);
        String aspectRatio = submission.aspectRatio().orElse(model.aspectRatios().get(0));
        if (!model.aspectRatios().contains(aspectRatio)) {
            throw new InvalidRequestException("aspectRatio", model.id() + " does not support aspect ratio '"
                    + aspectRatio + "'; supported: " + String.join(", ", model.aspectRatios()));
        }
        int count = submission.count().orElse(1);
        if (count < 1 || count > rules.maxCount()) {
            throw new InvalidRequestException("count", "must be between 1 and " + rules.maxCount());
        }
        return new GenerationRequest(prompt, model.id(), resolution, aspectRatio, count, validMetadata(submission.metadata()));
    }

    /** The catalog's entry of a request this validator accepted. */
    public ModelSpec modelOf(GenerationRequest request) {
        return catalog.find(request.model()).orElseThrow();
    }

    private String validPrompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new InvalidRequestException("prompt", "is required and must not be blank");
        }
        if (prompt.codePointCount(0, prompt.length()) > rules.maxPromptLength()) {
            throw new InvalidRequestException("prompt", "must be at most " + rules.maxPromptLength() + " characters");
        }
        boolean hasControl = prompt.codePoints()
                .anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
        if (hasControl) {
            throw new InvalidRequestException("prompt", "must not contain control characters other than tab and newline");
        }
        boolean unpairedSurrogate = prompt.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
        if (unpairedSurrogate) {
            throw new InvalidRequestException("prompt", "must be valid Unicode text (it has an unpaired surrogate)");
        }
        return prompt.strip();
    }

    private Map<String, String> validMetadata(Map<String, String> metadata) {
        if (metadata.size() > rules.maxMetadataEntries()) {
            throw new InvalidRequestException("metadata", "must have at most " + rules.maxMetadataEntries() + " entries");
        }
        metadata.forEach((key, value) -> {
            if (key.isBlank() || key.length() > MAX_METADATA_KEY_LENGTH) {
                throw new InvalidRequestException("metadata", "keys must be 1 to " + MAX_METADATA_KEY_LENGTH + " characters");
            }
            if (value == null || value.length() > MAX_METADATA_VALUE_LENGTH) {
                throw new InvalidRequestException("metadata." + key, "must be a string of at most " + MAX_METADATA_VALUE_LENGTH + " characters");
            }
        });
        return metadata;
    }
}
