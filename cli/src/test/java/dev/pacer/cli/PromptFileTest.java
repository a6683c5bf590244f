package dev.pacer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptFileTest {

    private static final SubmitDefaults NO_DEFAULTS = new SubmitDefaults(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    @TempDir
    Path dir;

    @Test
    void jsonLinesCarryTheirOwnOptionsAndTheCommandLineFillsTheRest() throws Exception {
        Path file = write("prompts.jsonl", """
                {"prompt":"a red fox","resolution":"2K","count":2,"name":"fox","metadata":{"shoot":"winter"}}

                {"prompt":"a grey owl","callbackUrl":"https://example.com/hook"}
                """);
        SubmitDefaults defaults = new SubmitDefaults(Optional.of("gemini-3-pro-image"), Optional.of("1K"), Optional.of("16:9"),
                Optional.empty(), Optional.empty());

        List<PromptFile.PromptLine> lines = PromptFile.read(file, defaults);

        assertEquals(2, lines.size());
        PromptFile.Ready fox = assertInstanceOf(PromptFile.Ready.class, lines.get(0));
        assertEquals(1, fox.line());
        assertEquals("{\"prompt\":\"a red fox\",\"model\":\"gemini-3-pro-image\",\"resolution\":\"2K\",\"aspectRatio\":\"16:9\","
                + "\"count\":2,\"metadata\":{\"name\":\"fox\",\"shoot\":\"winter\"}}", Json.write(fox.submission().body()));
        assertEquals(Optional.of("fox"), fox.submission().name());
        assertEquals(2, fox.submission().images());
        PromptFile.Ready owl = assertInstanceOf(PromptFile.Ready.class, lines.get(1));
        assertEquals(3, owl.line(), "line numbers count blank lines");
        assertEquals("https://example.com/hook", owl.submission().body().get("callbackUrl").asText());
        assertEquals(1, owl.submission().images());
        assertTrue(owl.idempotencyKey().matches("pacer-cli-[0-9a-f]{64}"), owl.idempotencyKey());
    }

    @Test
    void badLinesAreReportedWithTheirNumberAndTheFieldAtFault() throws Exception {
        Path file = write("prompts.jsonl", """
                {"prompt":"fine"}
                {"prompt": "unclosed
                {"resolution":"1K"}
                {"prompt":"x","count":"2"}
                {"prompt":"x","colour":"red"}
                {"prompt":"x","metadata":{"n":1}}
                """);

        List<PromptFile.PromptLine> lines = PromptFile.read(file, NO_DEFAULTS);

        assertInstanceOf(PromptFile.Ready.class, lines.get(0));
        assertEquals(new PromptFile.Unreadable(2, "not valid JSON"), lines.get(1));
        assertEquals(new PromptFile.Unreadable(3, "prompt: missing"), lines.get(2));
        assertEquals(new PromptFile.Unreadable(4, "count: must be a whole number"), lines.get(3));
        assertTrue(((PromptFile.Unreadable) lines.get(4)).problem().startsWith("unknown field 'colour'"));
        assertEquals(new PromptFile.Unreadable(6, "metadata.n: must be a string"), lines.get(5));
    }

    @Test
    void csvTakesAHeaderQuotedCellsAndMetadataColumns() throws Exception {
        Path file = write("prompts.csv", """
                prompt,Resolution,count,name,metadata.client
                "a fox, in snow",2K,2,fox,acme
                "a poem: ""owl""
                on two lines",,,,
                a cat,1K,two,cat,
                a dog,1K
                """);

        List<PromptFile.PromptLine> lines = PromptFile.read(file, NO_DEFAULTS);

        PromptFile.Ready fox = assertInstanceOf(PromptFile.Ready.class, lines.get(0));
        assertEquals(2, fox.line());
        assertEquals("{\"prompt\":\"a fox, in snow\",\"resolution\":\"2K\",\"count\":2,\"metadata\":{\"client\":\"acme\",\"name\":\"fox\"}}",
                Json.write(fox.submission().body()));
        PromptFile.Ready poem = assertInstanceOf(PromptFile.Ready.class, lines.get(1));
        assertEquals(3, poem.line());
        assertEquals("a poem: \"owl\"\non two lines", poem.submission().body().get("prompt").asText());
        assertEquals(new PromptFile.Unreadable(5, "count: must be a whole number"), lines.get(2));
        assertEquals(new PromptFile.Unreadable(6, "has 2 cells, the header has 5"), lines.get(3));
    }

    @Test
    void aCsvWithoutAPromptColumnOrWithAnUnknownColumnIsRefusedWhole() throws Exception {
        assertThrows(UsageException.class, () -> PromptFile.read(write("a.csv", "text,count\nfox,1\n"), NO_DEFAULTS));
        UsageException unknown = assertThrows(UsageException.class,
                () -> PromptFile.read(write("b.csv", "prompt,colour\nfox,red\n"), NO_DEFAULTS));
        assertTrue(unknown.getMessage().contains("colour"), unknown.getMessage());
    }

    @Test
    void keysAreStableAcrossRunsAndEditsElsewhereButTwoIdenticalLinesAreTwoJobs() throws Exception {
        Path file = write("prompts.jsonl", "{\"prompt\":\"a fox\"}\n{\"prompt\":\"an owl\"}\n{\"prompt\":\"a fox\"}\n");
        List<String> first = keys(PromptFile.read(file, NO_DEFAULTS));
        List<String> again = keys(PromptFile.read(file, NO_DEFAULTS));
        assertEquals(first, again, "the same file gives the same keys");
        assertNotEquals(first.get(0), first.get(2), "an identical second line is another job");

        Files.writeString(file, "{\"prompt\":\"a new first line\"}\n{\"prompt\":\"a fox\"}\n{\"prompt\":\"an owl\"}\n{\"prompt\":\"a fox\"}\n");
        List<String> edited = keys(PromptFile.read(file, NO_DEFAULTS));
        assertEquals(first, edited.subList(1, 4), "inserting a line leaves the other lines' keys alone");

        Path copy = write("other.jsonl", Files.readString(file));
        assertNotEquals(edited, keys(PromptFile.read(copy, NO_DEFAULTS)), "another file is another batch");

        SubmitDefaults twoK = new SubmitDefaults(Optional.empty(), Optional.of("2K"), Optional.empty(), Optional.empty(), Optional.empty());
        assertNotEquals(edited, keys(PromptFile.read(file, twoK)), "another request is another key, never a 422 for a changed body");
    }

    private static List<String> keys(List<PromptFile.PromptLine> lines) {
        return lines.stream().map(line -> ((PromptFile.Ready) line).idempotencyKey()).toList();
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
