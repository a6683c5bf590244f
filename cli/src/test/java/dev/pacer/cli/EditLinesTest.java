package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prompt-file lines that edit: local files uploaded once through the form, a line chained on an earlier line's job. */
class EditLinesTest {

    private static final String JOB = "5f0c0000-0000-4000-8000-000000000001";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3};

    @TempDir
    Path folder;

    private final StubApi api = new StubApi();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        api.close();
    }

    private void answers() {
        api.answer("POST", "/v1/uploads", 201, """
                {"id":"u1","contentType":"image/png","bytes":19,"expiresAt":"%s",
                 "upload":{"url":"%s/form/bucket","fields":{"key":"uploads/abc/u1","Content-Type":"image/png","policy":"cG9saWN5","x-amz-signature":"s"}},
                 "uploadBy":"%s"}""".formatted(Instant.now().plusSeconds(7 * 86400), api.url(), Instant.now().plusSeconds(900)));
        api.answer("POST", "/form/bucket", 204, "{}");
        api.answer("POST", "/v1/generations", 202, "{\"id\":\"" + JOB + "\",\"status\":\"QUEUED\",\"links\":{}}");
        api.answer("GET", "/v1/generations/" + JOB, 200, "{\"id\":\"" + JOB + "\",\"status\":\"SUCCEEDED\",\"images\":[]}");
    }

    @Test
    void aLocalFileIsUploadedOnceThroughTheFormAndAChainedLineNamesTheEarlierJob() throws Exception {
        answers();
        Files.write(folder.resolve("shoes.png"), PNG);
        Path prompts = folder.resolve("edits.jsonl");
        Files.writeString(prompts, """
                {"name": "beach", "prompt": "the shoes on a beach", "inputs": ["shoes.png"]}
                {"name": "night", "prompt": "the same at night", "inputs": [{"from": "beach", "index": 0}]}
                {"name": "both", "prompt": "the shoes twice", "inputs": ["shoes.png", "shoes.png"]}
                """);

        int exit = run("submit", prompts.toString());

        assertEquals(Pacer.OK, exit, err::toString);
        assertEquals(1, received("POST", "/v1/uploads").size(), "one upload for one file's content");
        StubApi.Received form = received("POST", "/form/bucket").get(0);
        String formText = new String(form.body(), StandardCharsets.ISO_8859_1);
        assertTrue(form.headers().get("content-type").startsWith("multipart/form-data; boundary="));
        assertTrue(formText.indexOf("name=\"key\"\r\n\r\nuploads/abc/u1\r\n") < formText.indexOf("name=\"file\""), formText);
        assertTrue(formText.contains("name=\"policy\"\r\n\r\ncG9saWN5\r\n"));
        assertTrue(Arrays.equals(PNG, Arrays.copyOfRange(form.body(), formText.indexOf("\r\n\r\n", formText.indexOf("name=\"file\"")) + 4,
                formText.indexOf("\r\n\r\n", formText.indexOf("name=\"file\"")) + 4 + PNG.length)), "the file follows the fields");
        assertEquals(null, form.headers().get("authorization"), "the form carries its own signature");

        List<JsonNode> submitted = received("POST", "/v1/generations").stream().map(r -> Json.read(new String(r.body(), StandardCharsets.UTF_8)))
                .toList();
        assertEquals(3, submitted.size());
        JsonNode beach = byPrompt(submitted, "the shoes on a beach");
        assertEquals(Json.read("[{\"upload\":\"u1\"}]"), beach.get("inputs"));
        assertEquals(Json.read("[{\"upload\":\"u1\"},{\"upload\":\"u1\"}]"), byPrompt(submitted, "the shoes twice").get("inputs"));
        assertEquals(Json.read("[{\"job\":\"" + JOB + "\",\"index\":0}]"), byPrompt(submitted, "the same at night").get("inputs"));
        assertTrue(received("GET", "/v1/generations/" + JOB).size() >= 1, "the chained line waited for the job to succeed");
        int lastGet = api.received().indexOf(received("GET", "/v1/generations/" + JOB).get(0));
        int chainedPost = api.received().indexOf(received("POST", "/v1/generations").get(2));
        assertTrue(lastGet < chainedPost, "it is submitted after the job it chains on succeeded");

        // a re-run uploads nothing new: the content's upload is recorded beside the prompt file
        int uploadsBefore = received("POST", "/v1/uploads").size();
        assertEquals(Pacer.OK, run("submit", prompts.toString()), err::toString);
        assertEquals(uploadsBefore, received("POST", "/v1/uploads").size());
        assertTrue(Files.readString(folder.resolve("edits.pacer-uploads.jsonl")).contains("\"upload\":\"u1\""));
    }

    @Test
    void aLineChainedOnANameNoLineHasIsRefusedWithItsLine() throws Exception {
        answers();
        Path prompts = folder.resolve("chain.jsonl");
        Files.writeString(prompts, "{\"prompt\": \"p\", \"inputs\": [{\"from\": \"nobody\"}]}\n");

        int exit = run("submit", prompts.toString());

        assertEquals(Pacer.FAILED, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 1: no earlier line named 'nobody'"), err::toString);
        assertEquals(List.of(), received("POST", "/v1/generations"));
    }

    @Test
    void aFileThatIsNoImageIsRefusedBeforeAnythingIsSent() throws Exception {
        answers();
        Files.writeString(folder.resolve("shoes.png"), "<html>not an image</html>");
        Path prompts = folder.resolve("bad.jsonl");
        Files.writeString(prompts, "{\"prompt\": \"p\", \"inputs\": [\"shoes.png\"]}\n");

        int exit = run("submit", prompts.toString());

        assertEquals(Pacer.FAILED, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a PNG, JPEG or WebP image"), err::toString);
        assertEquals(List.of(), received("POST", "/v1/uploads"));
    }

    @Test
    void theDocsExampleIsAnEditOfItsImageAndALineChainedOnIt() {
        List<PromptFile.PromptLine> lines = PromptFile.read(Path.of("../docs/edits.example.jsonl"), SubmitDefaults.from(
                Arguments.parse(List.of(), java.util.Set.of(), java.util.Set.of())));

        assertEquals(2, lines.size());
        Submission edit = ((PromptFile.Ready) lines.get(0)).submission();
        assertEquals("image/png", ((EditInput.LocalFile) edit.inputs().get(0)).contentType());
        Submission chained = ((PromptFile.Ready) lines.get(1)).submission();
        assertEquals(new EditInput.FromLine("sunset", 0), chained.inputs().get(0));
        assertTrue(chained.chained());
    }

    private static JsonNode byPrompt(List<JsonNode> bodies, String prompt) {
        return bodies.stream().filter(body -> body.path("prompt").asText().equals(prompt)).findFirst().orElseThrow();
    }

    private List<StubApi.Received> received(String method, String path) {
        return api.received().stream().filter(r -> r.method().equals(method) && r.uri().getPath().equals(path)).toList();
    }

    private int run(String... args) {
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("PACER_URL", api.url().toString()), false, Clock.systemUTC());
        return Pacer.run(args, cli);
    }
}
