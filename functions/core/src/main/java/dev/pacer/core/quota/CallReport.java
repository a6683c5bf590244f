package dev.pacer.core.quota;

import java.util.Objects;
import java.util.Optional;

/**
 * What a finished call tells the ledger besides its outcome: the tokens it really spent (the provider's usage), and
 * the limits the provider stated with its answer (OpenAI's {@code x-ratelimit-*} headers).
 *
 * @param tokensSpent empty where the provider reports no usage (Bedrock, the simulator, a failed call): the
 *                    reservation's estimate then stands
 */
public record CallReport(Optional<Long> tokensSpent, StatedLimits stated) {

    public static final CallReport NONE = new CallReport(Optional.empty(), StatedLimits.NONE);

    public CallReport {
        Objects.requireNonNull(tokensSpent, "tokensSpent");
        Objects.requireNonNull(stated, "stated");
    }
}
