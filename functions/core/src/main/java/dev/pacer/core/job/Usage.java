package dev.pacer.core.job;

/**
 * What a provider says an attempt consumed, in tokens (Gemini {@code usageMetadata}, OpenAI
 * {@code usage}). Zero where the provider reports nothing (Bedrock, the simulator).
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens) {

    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || totalTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens, totalTokens + other.totalTokens);
    }
}
