package dev.pacer.providers.edits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.catalog.CatalogEntries;
import dev.pacer.core.catalog.InputLimits;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.InMemoryInputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.fake.FakeBatchServer;
import dev.pacer.providers.fake.FakeGeminiBatch;
import dev.pacer.providers.fake.FakeOpenAiBatch;
import dev.pacer.providers.gemini.GeminiBatchProvider;
import dev.pacer.providers.openai.OpenAiBatchProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static dev.pacer.providers.http.JsonHttp.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch-lane edit's exact wire at each provider's batch fake: Gemini's requests carry the same {@code inlineData}
 * parts as the sync edit, inline and in the JSONL file; OpenAI's lines are {@code /v1/images/edits} lines in the
 * endpoint's JSON form, with base64 data URLs, in a batch whose endpoint is {@code /v1/images/edits}.
 */
class BatchEditWireTest {

    private static final ProviderTimeouts TIMEOUTS = ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
    private static final AccountKeys KEYS = account -> Optional.of("test-key");
    private static final String FLASH = "gemini-3.1-flash-image";
    private static final String GPT_IMAGE = "gpt-image-1.5";
    private static final String GPT_IMAGE_MINI = "gpt-image-1-mini";

    private final InMemoryInputImages inputs = new InMemoryInputImages();
    /** Not a multiple of 3, so the base64 ends in padding. */
    private final byte[] shoes = random(30_001, 1);
    private final byte[] beach = random(20_000, 2);
    private final byte[] mask = random(5_000, 3);
    private final List<FakeBatchServer> fakes = new ArrayList<>();

    BatchEditWireTest() {
        inputs.put("uploads/alice/shoes", shoes).put("generations/job-0/0.jpg", beach).put("uploads/alice/mask", mask);
    }

    @AfterEach
    void stopFakes() {
        fakes.forEach(FakeBatchServer::close);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private GenerationRequest edit(String model, String prompt, int count, boolean withMask) {
        List<InputImage> images = List.of(InputImage.upload("up-shoes", "uploads/alice/shoes", "image/png", shoes.length),
                InputImage.ofJob("job-0", 0, "generations/job-0/0.jpg", "image/jpeg", beach.length));
        Optional<InputImage> maskImage = withMask ? Optional.of(InputImage.upload("up-mask", "uploads/alice/mask", "image/png", mask.length))
                : Optional.empty();
        return new GenerationRequest(prompt, model, Resolution.ONE_K, "1:1", count, Map.of()).withInputs(images, maskImage);
    }

    private static Account account(String provider, URI baseUrl) {
        return new Account("project-a", provider, URI.create(baseUrl + "/"), "env:KEY", Map.of(), 0, ZoneId.of("UTC"), Optional.empty());
    }

    /** The parts Gemini's sync edit sends: each input's inlineData in the submission's order, then the text. */
    private ArrayNode geminiParts(String prompt) {
        ArrayNode parts = JSON.createArrayNode();
        parts.addObject().putObject("inlineData").put("mimeType", "image/png").put("data", b64(shoes));
        parts.addObject().putObject("inlineData").put("mimeType", "image/jpeg").put("data", b64(beach));
        parts.addObject().put("text", prompt);
        return parts;
    }

    @Test
    void aGeminiEditInlineCarriesItsImagesAsInlineDataPartsBeforeTheTextOnEachImagesRequest() throws IOException {
        FakeGeminiBatch fake = FakeGeminiBatch.start();
        fakes.add(fake);
        GeminiBatchProvider provider = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), inputs);
        GenerationRequest edit = edit(FLASH, "the shoes on the beach", 2, false);
        GenerationRequest prompt = new GenerationRequest("an owl", FLASH, Resolution.ONE_K, "1:1", 1, Map.of());

        ProviderBatch batch = provider.open(account("gemini", fake.baseUrl()), FLASH, "pacer-edit-1",
                List.of(new BatchLine("job-e", edit), new BatchLine("job-p", prompt)));

        var sent = fake.received("POST", ":batchGenerateContent").get(0);
        assertEquals(Integer.toString(sent.body().length), sent.header("Content-Length"), "the declared length counts the base64");
        JsonNode requests = JSON.readTree(sent.body()).path("batch").path("input_config").path("requests").path("requests");
        assertEquals(3, requests.size(), "one request per image; an edit and a generation may share a Gemini batch");
        for (int i = 0; i < 2; i++) {
            assertEquals("job-e/" + i, requests.get(i).path("metadata").path("key").asText());
            assertEquals(geminiParts("the shoes on the beach"), requests.get(i).path("request").path("contents").path(0).path("parts"));
            assertEquals(JSON.readTree("{\"responseModalities\":[\"IMAGE\"],\"imageConfig\":{\"aspectRatio\":\"1:1\",\"imageSize\":\"1K\"}}"),
                    requests.get(i).path("request").path("generationConfig"));
        }
        assertEquals(JSON.readTree("[{\"text\":\"an owl\"}]"), requests.get(2).path("request").path("contents").path(0).path("parts"));
        assertEquals(3, batch.total());
        assertEquals(2, inputs.timesOpened("uploads/alice/shoes"), "streamed once per image's request");
        assertTrue(fake.received("POST", "/upload/").isEmpty(), "under the limit: inline");

        fake.finish(batch.name());
        List<BatchLineResult> results = new ArrayList<>();
        provider.results(account("gemini", fake.baseUrl()), provider.poll(account("gemini", fake.baseUrl()), batch), results::add);
        assertEquals(3, results.size());
        results.forEach(result -> assertInstanceOf(ProviderOutcome.Generated.class, result.outcome()));
    }

    @Test
    void theInlineLimitCountsTheInputsBase64SoAnEditPastItGoesAsAJsonlFileWithTheSameParts() throws IOException {
        FakeGeminiBatch fake = FakeGeminiBatch.start();
        fakes.add(fake);
        // the request's text is a few hundred bytes; its images' base64 is about 67,000
        long limit = 60_000;
        GeminiBatchProvider provider = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), limit, inputs);
        GenerationRequest edit = edit(FLASH, "the shoes on the beach", 1, false);

        provider.open(account("gemini", fake.baseUrl()), FLASH, "pacer-edit-file", List.of(new BatchLine("job-e", edit)));

        var start = fake.received("POST", "/upload/v1beta/files").get(0);
        var upload = fake.received("POST", "upload_id=").get(0);
        assertEquals(Integer.toString(upload.body().length), start.header("X-Goog-Upload-Header-Content-Length"),
                "the resumable start declares the file's whole length, base64 included");
        String[] jsonl = new String(upload.body(), StandardCharsets.UTF_8).split("\n");
        assertEquals(1, jsonl.length);
        JsonNode line = JSON.readTree(jsonl[0]);
        assertEquals("job-e/0", line.path("key").asText());
        assertEquals(geminiParts("the shoes on the beach"), line.path("request").path("contents").path(0).path("parts"));
        JsonNode create = JSON.readTree(fake.received("POST", ":batchGenerateContent").get(0).body());
        assertTrue(create.path("batch").path("input_config").has("file_name"), create.toString());

        // the same batch without its images is far under the limit: it went as a file because of their base64
        int uploads = fake.received("POST", "/upload/").size();
        GeminiBatchProvider same = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), limit, inputs);
        same.open(account("gemini", fake.baseUrl()), FLASH, "pacer-prompt-only",
                List.of(new BatchLine("job-p", new GenerationRequest("the shoes on the beach", FLASH, Resolution.ONE_K, "1:1", 1, Map.of()))));
        assertEquals(uploads, fake.received("POST", "/upload/").size(), "no second upload: the prompt-only batch went inline");
    }

    @Test
    void aGeminiEditWhoseInputCannotBeReadIsARetryableOpenFailureWithNothingCreated() {
        FakeGeminiBatch fake = FakeGeminiBatch.start();
        fakes.add(fake);
        GeminiBatchProvider provider = new GeminiBatchProvider(KEYS, TIMEOUTS, TestCatalog.standard(), new InMemoryInputImages());

        BatchProviderException failed = assertThrows(BatchProviderException.class, () -> provider.open(account("gemini", fake.baseUrl()), FLASH,
                "pacer-missing", List.of(new BatchLine("job-e", edit(FLASH, "p", 1, false)))));

        assertTrue(failed.retryable(), "the provider never had the whole body: a later run opens it again");
        assertTrue(failed.getMessage().contains("could not be read"), failed.getMessage());
        assertTrue(fake.batches().isEmpty());
    }

    /** The test catalog, and the mini model, which takes no input_fidelity. */
    private static ModelCatalog withMini() {
        CatalogEntries entries = TestCatalog.entries();
        Map<String, ModelSpec> models = new LinkedHashMap<>(entries.models());
        models.put(GPT_IMAGE_MINI, TestCatalog.model(GPT_IMAGE_MINI, "openai", List.of("1:1", "3:2", "2:3"), true, Map.of(Resolution.ONE_K, "0.011"))
                .withInputs(new InputLimits(16, 50L * 1024 * 1024 - 1, true, 4L * 1024 * 1024 - 1, 1500, false, Optional.of(new BigDecimal("2")))));
        return ModelCatalog.of(new CatalogEntries(models, entries.aliases(), entries.retired(), entries.defaultModel(), entries.providerDefaults()));
    }

    @Test
    void anOpenAiEditLineIsTheEditsEndpointsJsonFormWithDataUrlsAndTheBatchsEndpointIsEdits() throws IOException {
        FakeOpenAiBatch fake = FakeOpenAiBatch.start();
        fakes.add(fake);
        OpenAiBatchProvider provider = new OpenAiBatchProvider(KEYS, TIMEOUTS, "high", "png", withMini(), inputs);
        GenerationRequest masked = edit(GPT_IMAGE, "the shoes on the beach", 2, true);
        GenerationRequest mini = edit(GPT_IMAGE_MINI, "the shoes in snow", 1, false);

        ProviderBatch batch = provider.open(account("openai", fake.baseUrl()), GPT_IMAGE, "pacer-openai-edit",
                List.of(new BatchLine("job-m", masked), new BatchLine("job-n", mini)));

        JsonNode create = JSON.readTree(fake.received("POST", "/v1/batches").get(0).body());
        assertEquals("/v1/images/edits", create.path("endpoint").asText());
        assertEquals("/v1/images/edits", fake.batch(batch.name()).path("endpoint").asText());
        List<JsonNode> lines = fake.inputLines(batch.name());
        assertEquals(2, lines.size(), "one line per job, all its images (n)");

        JsonNode first = lines.get(0);
        assertEquals("job-m", first.path("custom_id").asText());
        assertEquals("POST", first.path("method").asText());
        assertEquals("/v1/images/edits", first.path("url").asText());
        ObjectNode body = (ObjectNode) first.path("body").deepCopy();
        JsonNode images = body.remove("images");
        JsonNode maskRef = body.remove("mask");
        assertEquals(JSON.readTree("""
                {"model":"gpt-image-1.5","prompt":"the shoes on the beach","n":2,"size":"1024x1024","quality":"high",
                 "output_format":"png","input_fidelity":"high"}"""), body, "the generation's fields and input_fidelity, which 1.5 takes");
        assertEquals(2, images.size());
        assertEquals("image/png", FakeOpenAiBatch.dataUrlType(images.get(0).path("image_url").asText()));
        assertArrayEquals(shoes, FakeOpenAiBatch.dataUrlBytes(images.get(0).path("image_url").asText()));
        assertEquals("image/jpeg", FakeOpenAiBatch.dataUrlType(images.get(1).path("image_url").asText()));
        assertArrayEquals(beach, FakeOpenAiBatch.dataUrlBytes(images.get(1).path("image_url").asText()));
        assertEquals(1, images.get(0).size(), "a reference is image_url alone (or file_id): " + images.get(0).fieldNames().next());
        assertEquals("image/png", FakeOpenAiBatch.dataUrlType(maskRef.path("image_url").asText()));
        assertArrayEquals(mask, FakeOpenAiBatch.dataUrlBytes(maskRef.path("image_url").asText()));

        JsonNode second = lines.get(1).path("body");
        assertEquals("gpt-image-1-mini", second.path("model").asText());
        assertFalse(second.has("input_fidelity"), "the mini model takes no input_fidelity: " + second);
        assertFalse(second.has("mask"));
        assertArrayEquals(shoes, FakeOpenAiBatch.dataUrlBytes(second.path("images").get(0).path("image_url").asText()));

        fake.finish(batch.name());
        List<BatchLineResult> results = new ArrayList<>();
        provider.results(account("openai", fake.baseUrl()), provider.poll(account("openai", fake.baseUrl()), batch), results::add);
        assertEquals(List.of("job-m", "job-n"), results.stream().map(BatchLineResult::jobId).toList());
        results.forEach(result -> assertInstanceOf(ProviderOutcome.Generated.class, result.outcome()));
    }

    @Test
    void anOpenAiBatchOfGenerationsAndEditsIsRefusedBeforeAnythingIsSent() {
        FakeOpenAiBatch fake = FakeOpenAiBatch.start();
        fakes.add(fake);
        OpenAiBatchProvider provider = new OpenAiBatchProvider(KEYS, TIMEOUTS, "high", "png", TestCatalog.standard(), inputs);
        GenerationRequest prompt = new GenerationRequest("an owl", GPT_IMAGE, Resolution.ONE_K, "1:1", 1, Map.of());

        BatchProviderException refused = assertThrows(BatchProviderException.class, () -> provider.open(account("openai", fake.baseUrl()),
                GPT_IMAGE, "pacer-mixed", List.of(new BatchLine("job-p", prompt), new BatchLine("job-e", edit(GPT_IMAGE, "p", 1, false)))));

        assertFalse(refused.retryable());
        assertTrue(refused.getMessage().contains("one endpoint"), refused.getMessage());
        assertTrue(fake.received("POST", "/v1/files").isEmpty(), "nothing uploaded");
    }

    @Test
    void anOpenAiBatchOfGenerationsStillGoesToTheGenerationsEndpoint() throws IOException {
        FakeOpenAiBatch fake = FakeOpenAiBatch.start();
        fakes.add(fake);
        OpenAiBatchProvider provider = new OpenAiBatchProvider(KEYS, TIMEOUTS, "high", "png", TestCatalog.standard(), inputs);

        ProviderBatch batch = provider.open(account("openai", fake.baseUrl()), GPT_IMAGE, "pacer-gen",
                List.of(new BatchLine("job-p", new GenerationRequest("an owl", GPT_IMAGE, Resolution.ONE_K, "1:1", 1, Map.of()))));

        assertEquals("/v1/images/generations", JSON.readTree(fake.received("POST", "/v1/batches").get(0).body()).path("endpoint").asText());
        assertEquals("/v1/images/generations", fake.inputLines(batch.name()).get(0).path("url").asText());
    }
}
