package dev.pacer.core.usecase;

/** Limits on what a submission may ask for. */
public record SubmissionRules(int maxPromptLength, int maxCount, int maxMetadataEntries) {

    public static SubmissionRules standard() {
        return new SubmissionRules(8_000, 4, 16);
    }
}
