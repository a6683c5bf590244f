package dev.pacer.providers.edits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.InMemoryInputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.fake.FakeProviderServer;
import dev.pacer.providers.gemini.GeminiImageProvider;
import dev.pacer.providers.openai.OpenAiImageProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.pacer.providers.http.JsonHttp.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An edit's exact wire at each provider's fake: Gemini's inlineData parts and their base64, OpenAI's multipart. */
class EditWireTest {

    private static final ProviderTimeouts TIMEOUTS = ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
    private static FakeProviderServer fake;

    private final InMemoryInputImages inputs = new InMemoryInputImages();
    /** Not a multiple of 3 and larger than one base64 chunk, so padding and chunk borders are both on the wire. */
    private final byte[] shoes = random(200_001, 1);
    private final byte[] beach = random(70_000, 2);
    private final byte[] mask = random(5_000, 3);

    @BeforeAll
    static void start() {
        fake = FakeProviderServer.start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private GenerationRequest edit(String prompt, String model, int count, boolean withMask) {
        inputs.put("uploads/a/shoes", shoes).put("generations/j/0.jpg", beach).put("uploads/a/mask", mask);
        return new GenerationRequest(prompt, model, Resolution.ONE_K, "1:1", count, Map.of()).withInputs(List.of(
                        InputImage.upload("shoes", "uploads/a/shoes", "image/png", shoes.length),
                        InputImage.ofJob("5f0c0000-0000-4000-8000-000000000000", 0, "generations/j/0.jpg", "image/jpeg", beach.length)),
                withMask ? Optional.of(InputImage.upload("mask", "uploads/a/mask", "image/png", mask.length)) : Optional.empty());
    }

    @Test
    void geminiSendsEachInputAsAnInlineDataPartBeforeTheTextWithItsBase64() throws Exception {
        var provider = new GeminiImageProvider(TIMEOUTS, TestCatalog.standard(), inputs);
        var account = new ProviderAccount("project-a", "gemini", fake.baseUrl(), "test-gemini-key");

        var outcome = provider.generate(edit("shoes on the beach [case:success]", TestCatalog.FLASH, 2, false), account);

        assertInstanceOf(ProviderOutcome.Generated.class, outcome);
        List<FakeProviderServer.Received> sent = fake.receivedWith("shoes on the beach");
        assertEquals(2, sent.size(), "one request per image, each with all the inputs");
        for (FakeProviderServer.Received request : sent) {
            assertEquals("/v1beta/models/gemini-3.1-flash-image:generateContent", request.path());
            assertEquals(Integer.toString(request.bytes().length), request.header("Content-Length"), "a streamed body still has its length");
            JsonNode parts = JSON.readTree(request.body()).path("contents").path(0).path("parts");
            assertEquals(3, parts.size());
            assertEquals("image/png", parts.get(0).path("inlineData").path("mimeType").asText());
            assertArrayEquals(shoes, Base64.getDecoder().decode(parts.get(0).path("inlineData").path("data").asText()));
            assertEquals("image/jpeg", parts.get(1).path("inlineData").path("mimeType").asText());
            assertArrayEquals(beach, Base64.getDecoder().decode(parts.get(1).path("inlineData").path("data").asText()));
            assertEquals("shoes on the beach [case:success]", parts.get(2).path("text").asText());
            assertEquals(JSON.readTree("{\"responseModalities\":[\"IMAGE\"],\"imageConfig\":{\"aspectRatio\":\"1:1\",\"imageSize\":\"1K\"}}"),
                    JSON.readTree(request.body()).path("generationConfig"));
        }
        assertEquals(2, inputs.timesOpened("uploads/a/shoes"), "each request streams the input from the store again");
    }

    @Test
    void openAiSendsAnEditAsMultipartWithImageArrayPartsAndTheMask() {
        var provider = new OpenAiImageProvider(TIMEOUTS, "high", "png", TestCatalog.standard(), inputs);
        var account = new ProviderAccount("org-a", "openai", fake.baseUrl(), "sk-test");

        var outcome = provider.generate(edit("a red sofa in the room [case:success]", TestCatalog.GPT_IMAGE, 1, true), account);

        assertInstanceOf(ProviderOutcome.Generated.class, outcome);
        FakeProviderServer.Received request = fake.receivedWith("a red sofa in the room").get(0);
        assertEquals("/v1/images/edits", request.path());
        assertEquals("Bearer sk-test", request.header("Authorization"));
        Matcher boundary = Pattern.compile("multipart/form-data; boundary=(.+)").matcher(request.header("Content-Type"));
        assertTrue(boundary.matches(), request.header("Content-Type"));
        List<Part> parts = parts(request.bytes(), boundary.group(1));
        assertEquals(List.of("model", "prompt", "n", "size", "quality", "output_format", "input_fidelity", "image[]", "image[]", "mask"),
                parts.stream().map(Part::name).toList());
        assertEquals("gpt-image-1.5", parts.get(0).text());
        assertEquals("a red sofa in the room [case:success]", parts.get(1).text());
        assertEquals("1", parts.get(2).text());
        assertEquals("1024x1024", parts.get(3).text());
        assertEquals("high", parts.get(6).text());
        assertTrue(parts.get(7).headers().contains("filename=\"image-0.png\"") && parts.get(7).headers().contains("Content-Type: image/png"),
                parts.get(7).headers());
        assertArrayEquals(shoes, parts.get(7).content());
        assertTrue(parts.get(8).headers().contains("filename=\"image-1.jpg\"") && parts.get(8).headers().contains("Content-Type: image/jpeg"));
        assertArrayEquals(beach, parts.get(8).content());
        assertArrayEquals(mask, parts.get(9).content());
    }

    @Test
    void openAiLeavesInputFidelityOutWhereTheModelTakesNone() {
        var catalog = dev.pacer.core.catalog.ModelCatalog.of(TestCatalog.entries().overriddenBy(new dev.pacer.core.catalog.CatalogEntries(
                Map.of("gpt-image-1-mini", TestCatalog.model("gpt-image-1-mini", "openai", List.of("1:1"), true, Map.of(Resolution.ONE_K, "0.036"))
                        .withInputs(new dev.pacer.core.catalog.InputLimits(16, 1000, true, 1000, 1500, false, Optional.empty()))),
                Map.of(), Map.of(), Optional.empty(), Map.of())));
        var provider = new OpenAiImageProvider(TIMEOUTS, "high", "png", catalog, inputs);
        var account = new ProviderAccount("org-a", "openai", fake.baseUrl(), "sk-test");

        provider.generate(edit("a mini edit [case:success]", "gpt-image-1-mini", 1, false), account);

        FakeProviderServer.Received request = fake.receivedWith("a mini edit").get(0);
        String boundary = request.header("Content-Type").substring("multipart/form-data; boundary=".length());
        List<String> names = parts(request.bytes(), boundary).stream().map(Part::name).toList();
        assertFalse(names.contains("input_fidelity"), names.toString());
        assertFalse(names.contains("mask"));
    }

    @Test
    void novaCanvasSendsAnEditAsAnImageVariationWithItsImagesBase64() throws Exception {
        var provider = new dev.pacer.providers.bedrock.NovaCanvasImageProvider(a -> software.amazon.awssdk.services.bedrockruntime
                .BedrockRuntimeClient.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(a.baseUrl())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .build(), TIMEOUTS, "standard", TestCatalog.standard(), inputs);
        var account = new ProviderAccount("aws-us-east-1", "bedrock", fake.baseUrl(), "");

        var outcome = provider.generate(edit("a variation of the shoes [case:success]", TestCatalog.NOVA_CANVAS, 1, false), account);

        assertInstanceOf(ProviderOutcome.Generated.class, outcome);
        FakeProviderServer.Received request = fake.receivedWith("a variation of the shoes").get(0);
        JsonNode body = JSON.readTree(request.body());
        assertEquals("IMAGE_VARIATION", body.path("taskType").asText());
        assertEquals("a variation of the shoes [case:success]", body.path("imageVariationParams").path("text").asText());
        assertArrayEquals(shoes, Base64.getDecoder().decode(body.path("imageVariationParams").path("images").path(0).asText()));
        assertArrayEquals(beach, Base64.getDecoder().decode(body.path("imageVariationParams").path("images").path(1).asText()));
        assertEquals(0.7, body.path("imageVariationParams").path("similarityStrength").asDouble());
        assertEquals(1, body.path("imageGenerationConfig").path("numberOfImages").asInt());
        assertFalse(body.has("textToImageParams"));
    }

    @Test
    void anInputGoneFromTheStoreIsAPassingFailureNotAnAmbiguousCall() {
        var provider = new GeminiImageProvider(TIMEOUTS, TestCatalog.standard(), new InMemoryInputImages());
        var account = new ProviderAccount("project-a", "gemini", fake.baseUrl(), "test-gemini-key");
        GenerationRequest edit = new GenerationRequest("gone [case:success]", TestCatalog.FLASH, Resolution.ONE_K, "1:1", 1, Map.of())
                .withInputs(List.of(InputImage.upload("x", "uploads/a/expired", "image/png", 10)), Optional.empty());

        var outcome = provider.generate(edit, account);

        var later = assertInstanceOf(ProviderOutcome.RetryLater.class, outcome);
        assertEquals("input_unreadable", later.type());
    }

    private record Part(String name, String headers, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** The parts of a multipart/form-data body, read strictly: CRLF after each delimiter and before the next. */
    private static List<Part> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        assertEquals(0, at, "the body starts with the first delimiter");
        while (true) {
            int start = at + delimiter.length;
            if (body[start] == '-' && body[start + 1] == '-') {
                assertEquals(body.length, start + 4, "the closing delimiter ends the body with CRLF");
                return parts;
            }
            assertEquals('\r', body[start]);
            assertEquals('\n', body[start + 1]);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start + 2);
            String headers = new String(body, start + 2, headersEnd - start - 2, StandardCharsets.UTF_8);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd + 4);
            Matcher name = Pattern.compile("name=\"([^\"]+)\"").matcher(headers);
            assertTrue(name.find(), headers);
            parts.add(new Part(name.group(1), headers, Arrays.copyOfRange(body, headersEnd + 4, next)));
            at = next + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
