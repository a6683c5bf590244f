package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ModelRetiredException;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubmissionValidatorTest {

    private final SubmissionValidator validator = new SubmissionValidator(TestCatalog.standard(), SubmissionRules.standard());

    @Test
    void appliesTheCatalogDefaultsToABarePrompt() {
        GenerationRequest request = validator.validate(Submission.ofPrompt("  a red fox  "));

        assertEquals("a red fox", request.prompt());
        assertEquals("gemini-3.1-flash-image", request.model());
        assertEquals(Resolution.ONE_K, request.resolution());
        assertEquals("1:1", request.aspectRatio());
        assertEquals(1, request.count());
    }

    @Test
    void keepsWhatTheCallerChose() {
        GenerationRequest request = validator.validate(new Submission("a fox", Optional.of("gemini-3-pro-image"),
                Optional.of("4k"), Optional.of("16:9"), Optional.of(3), Map.of("batch", "spring")));

        assertEquals(Resolution.FOUR_K, request.resolution());
        assertEquals("16:9", request.aspectRatio());
        assertEquals(3, request.count());
        assertEquals(Map.of("batch", "spring"), request.metadata());
    }

    @Test
    void anAliasIsRecordedAsTheModelItStandsFor() {
        GenerationRequest request = validator.validate(with(Optional.of("nano-banana-pro"), Optional.of("4K"), Optional.empty(), Optional.empty()));

        assertEquals("gemini-3-pro-image", request.model());
        assertEquals(Resolution.FOUR_K, request.resolution());
    }

    @Test
    void aRetiredModelIsRefusedNamingItsSuccessor() {
        ModelRetiredException refused = assertThrows(ModelRetiredException.class, () -> validator.validate(
                with(Optional.of("gemini-3.1-flash-image-preview"), Optional.empty(), Optional.empty(), Optional.empty())));

        assertEquals("model", refused.field());
        assertEquals("gemini-3.1-flash-image", refused.retirement().successor());
        assertTrue(refused.reason().contains("retired on 2026-06-25; use gemini-3.1-flash-image"), refused.reason());
    }

    static Stream<Arguments> invalidSubmissions() {
        return Stream.of(
                Arguments.of(Submission.ofPrompt(null), "prompt"),
                Arguments.of(Submission.ofPrompt("   "), "prompt"),
                Arguments.of(Submission.ofPrompt("x".repeat(8_001)), "prompt"),
                Arguments.of(Submission.ofPrompt("a fox\u0000"), "prompt"),
                Arguments.of(Submission.ofPrompt("a fox\u001b[31m"), "prompt"),
                Arguments.of(Submission.ofPrompt("a fox \ud800"), "prompt"),
                Arguments.of(with(Optional.of("dall-e-9"), Optional.empty(), Optional.empty(), Optional.empty()), "model"),
                Arguments.of(with(Optional.empty(), Optional.of("8K"), Optional.empty(), Optional.empty()), "resolution"),
                Arguments.of(with(Optional.of("gemini-2.5-flash-image"), Optional.of("4K"), Optional.empty(), Optional.empty()), "resolution"),
                Arguments.of(with(Optional.of("gemini-3-pro-image"), Optional.of("0.5K"), Optional.empty(), Optional.empty()), "resolution"),
                Arguments.of(with(Optional.empty(), Optional.empty(), Optional.of("7:3"), Optional.empty()), "aspectRatio"),
                Arguments.of(with(Optional.of("gemini-3-pro-image"), Optional.empty(), Optional.of("1:8"), Optional.empty()), "aspectRatio"),
                Arguments.of(with(Optional.of("amazon.nova-canvas-v1:0"), Optional.of("4K"), Optional.empty(), Optional.empty()), "resolution"),
                Arguments.of(with(Optional.of("gpt-image-1.5"), Optional.empty(), Optional.of("16:9"), Optional.empty()), "aspectRatio"),
                Arguments.of(with(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(0)), "count"),
                Arguments.of(with(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(5)), "count"),
                Arguments.of(with(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(-1)), "count"));
    }

    @ParameterizedTest
    @MethodSource("invalidSubmissions")
    void refusesAnInvalidSubmissionNamingTheField(Submission submission, String field) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> validator.validate(submission));
        assertEquals(field, refused.field());
    }

    @Test
    void acceptsTheHalfKAndExtremeRatiosOnlyGemini31FlashImageHas() {
        GenerationRequest request = validator.validate(with(Optional.empty(), Optional.of("0.5K"), Optional.of("1:8"), Optional.empty()));

        assertEquals(Resolution.HALF_K, request.resolution());
        assertEquals("1:8", request.aspectRatio());
    }

    @Test
    void unsupportedResolutionNamesWhatIsSupported() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> validator.validate(
                with(Optional.of("gemini-3-pro-image"), Optional.of("0.5K"), Optional.empty(), Optional.empty())));
        assertTrue(refused.reason().contains("supported: 1K, 2K, 4K"), refused.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../etc/passwd", "ABCDEF00-0000-0000-0000-000000000000", "123", "a/b"})
    void refusesMalformedJobIds(String id) {
        assertThrows(InvalidRequestException.class, () -> new JobId(id));
    }

    private static Submission with(Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio, Optional<Integer> count) {
        return new Submission("a fox", model, resolution, aspectRatio, count, Map.of());
    }
}
