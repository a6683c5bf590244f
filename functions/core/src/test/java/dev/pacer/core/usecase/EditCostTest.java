package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ModelSpec;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.Demand;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An edit's reference images cost input tokens: the reservation counts them, the attempt log prices them. */
class EditCostTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static GenerationRequest edit(String model, int count, int inputs) {
        List<InputImage> images = new java.util.ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            images.add(InputImage.upload("u" + i, "uploads/a/u" + i, "image/png", 1000));
        }
        return new GenerationRequest("p", model, Resolution.ONE_K, "1:1", count, Map.of()).withInputs(images, Optional.empty());
    }

    @Test
    void everyGeminiRequestOfAJobCarriesAllItsInputsTokens() {
        // two images: two requests, each with three inputs of 560 tokens
        assertEquals(2 * 3 * 560, Demand.inputTokens(edit(TestCatalog.FLASH, 2, 3), 2, 560));
        // the reservation adds them to the prompt's and the output's tokens
        ModelSpec flash = TestCatalog.standard().require("model", TestCatalog.FLASH);
        ModelSpec gpt = TestCatalog.standard().require("model", TestCatalog.GPT_IMAGE);
        GenerationRequest plain = new GenerationRequest("p", TestCatalog.FLASH, Resolution.ONE_K, "1:1", 2, Map.of());
        Demand edit = Demand.of(edit(TestCatalog.FLASH, 2, 3), flash);
        assertEquals(2, edit.requests());
        assertEquals(2L * 3 * flash.inputs().tokensPerImage(), edit.tokens() - Demand.of(plain, flash).tokens());
        // OpenAI: one request for both images, so the inputs once
        Demand openAi = Demand.of(edit(TestCatalog.GPT_IMAGE, 2, 3), gpt);
        assertEquals(1, openAi.requests());
        assertEquals(3L * gpt.inputs().tokensPerImage(), openAi.tokens() - Demand.of(plain, gpt).tokens());
        assertTrue(flash.inputs().tokensPerImage() > 0 && gpt.inputs().tokensPerImage() > 0, "the test catalog prices inputs");
    }

    @Test
    void theAttemptLogAddsTheInputsPriceToTheImages() {
        GenerationRequest request = edit(TestCatalog.FLASH, 1, 2);
        Job job = Job.queued(JobId.random(), "alice", request, T0);
        Account gemini = new Account("project-a", "gemini", URI.create("https://example.invalid"), "none", Map.of(), 0.0, ZoneOffset.UTC,
                Optional.empty());
        var made = new ProviderOutcome.Generated(List.of(new ProviderOutcome.GeneratedImage(new byte[] {1}, "image/png")));

        Attempt attempt = new AttemptLog(TestCatalog.prices()).called(job, request, gemini, T0, Duration.ofSeconds(9), made);

        // $0.067 the image, plus 2 x 560 input tokens at $0.50 per million
        assertEquals(0, new BigDecimal("0.067").add(new BigDecimal("0.00056")).compareTo(attempt.estimatedCostUsd()), attempt::toString);
    }

    @Test
    void aCallThatMadeNothingPaysNoInputs() {
        GenerationRequest request = edit(TestCatalog.FLASH, 1, 2);
        Job job = Job.queued(JobId.random(), "alice", request, T0);
        Account gemini = new Account("project-a", "gemini", URI.create("https://example.invalid"), "none", Map.of(), 0.0, ZoneOffset.UTC,
                Optional.empty());

        Attempt attempt = new AttemptLog(TestCatalog.prices()).called(job, request, gemini, T0, Duration.ofSeconds(1),
                new ProviderOutcome.Refused("safety_block", "blocked"));

        assertEquals(0, BigDecimal.ZERO.compareTo(attempt.estimatedCostUsd()));
    }
}
