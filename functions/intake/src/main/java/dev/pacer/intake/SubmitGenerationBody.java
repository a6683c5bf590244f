package dev.pacer.intake;

import java.util.List;
import java.util.Map;

/** The JSON body of POST /v1/generations as sent; nulls are fields the caller left out. */
public record SubmitGenerationBody(
        String prompt,
        String model,
        String resolution,
        String aspectRatio,
        Integer count,
        Map<String, String> metadata,
        String callbackUrl,
        String deadline,
        String lane,
        List<Input> inputs,
        Input mask) {

    /** {@code {"upload": id}} or {@code {"job": id, "index": n}}: a reference image (docs/edits.md). */
    public record Input(String upload, String job, Integer index) {
    }
}
