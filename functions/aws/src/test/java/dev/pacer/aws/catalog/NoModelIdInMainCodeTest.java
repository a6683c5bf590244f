package dev.pacer.aws.catalog;

import dev.pacer.core.catalog.ModelCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog file is the only place a model is named: no id, alias or retired id of the bundled catalog appears in
 * the main Java code of any module (comments included: a stale id in a comment misleads as much). Tests may name them.
 */
class NoModelIdInMainCodeTest {

    private static final Path ROOT = Path.of(System.getProperty("pacer.root", "../.."));
    /** Characters an id is made of: a name counts only where none of these is next to it. */
    private static final String ID_CHARACTER = "[A-Za-z0-9._:-]";

    @Test
    void noMainCodeNamesAModelOfTheCatalog() {
        List<Path> sources = mainSources();
        assertTrue(sources.size() > 100, "found the main sources under " + ROOT.toAbsolutePath() + ": " + sources.size());
        assertTrue(sources.stream().anyMatch(p -> p.endsWith(Path.of("dev", "pacer", "providers", "gemini", "GeminiImageProvider.java"))),
                "the providers are among them");

        List<String> found = new ArrayList<>();
        for (Path source : sources) {
            found.addAll(namesIn(source, names(ModelCatalogs.bundled())));
        }

        assertEquals(List.of(), found, "model ids in main code; name them in the catalog (docs/models.md) instead");
    }

    @Test
    void theScanFindsANamePlantedInCodeOrInAComment(@TempDir Path dir) throws IOException {
        Path planted = dir.resolve("Planted.java");
        Files.writeString(planted, """
                /** Uses gpt-image-1 for drafts. */
                class Planted {
                    String model = "nano-banana-2";
                    String other = "gemini-3.1-flash-image-previewed"; // not a name of the catalog
                }
                """);

        List<String> found = namesIn(planted, names(ModelCatalogs.bundled()));

        assertEquals(List.of(planted + ":1: gpt-image-1", planted + ":3: nano-banana-2"), found);
    }

    /** Every id, alias and retired id: a retired id in code is as wrong as a live one. */
    private static Set<String> names(ModelCatalog catalog) {
        Set<String> names = new TreeSet<>(catalog.names());
        names.addAll(catalog.aliases().keySet());
        names.addAll(catalog.retired().keySet());
        return names;
    }

    private static List<String> namesIn(Path source, Set<String> names) {
        List<String> found = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int n = 0; n < lines.size(); n++) {
            for (String name : names) {
                Matcher match = Pattern.compile("(?<!" + ID_CHARACTER + ")" + Pattern.quote(name) + "(?!" + ID_CHARACTER + ")")
                        .matcher(lines.get(n));
                if (match.find()) {
                    found.add(source + ":" + (n + 1) + ": " + name);
                }
            }
        }
        return found;
    }

    /** functions/*, cli, bench and infra/*: every module's src/main/java. */
    private static List<Path> mainSources() {
        List<Path> roots = new ArrayList<>();
        for (String parent : List.of("functions", "infra")) {
            try (Stream<Path> modules = Files.list(ROOT.resolve(parent))) {
                modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        roots.add(ROOT.resolve("cli/src/main/java"));
        roots.add(ROOT.resolve("bench/src/main/java"));
        List<Path> sources = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }
}
