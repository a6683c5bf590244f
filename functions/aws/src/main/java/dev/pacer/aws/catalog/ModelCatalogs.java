package dev.pacer.aws.catalog;

import dev.pacer.core.catalog.CatalogEntries;
import dev.pacer.core.catalog.ModelCatalog;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The model catalog: the file bundled with the functions (functions/aws/src/main/resources/dev/pacer/aws/catalog/
 * models.json), with an operator's override on top, named the way the account pool is: a JSON file (local runs:
 * {@code PACER_CATALOG_FILE}, which wins) or an SSM parameter (deployed: {@code PACER_CATALOG_PARAMETER}).
 */
public final class ModelCatalogs {

    /** The bundled file on the class path. */
    public static final String BUNDLED_RESOURCE = "/dev/pacer/aws/catalog/models.json";
    /** The bundled file's name in errors. */
    public static final String BUNDLED_NAME = "models.json";

    private ModelCatalogs() {
    }

    /** The bundled file's entries, as they are. */
    public static CatalogEntries bundledEntries() {
        try (InputStream in = ModelCatalogs.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled model catalog " + BUNDLED_RESOURCE + " is not on the class path");
            }
            return CatalogJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled model catalog " + BUNDLED_RESOURCE, e);
        }
    }

    /** The bundled catalog alone: what the tests, the benchmarks and a stack without an override use. */
    public static ModelCatalog bundled() {
        return build(bundledEntries(), BUNDLED_NAME);
    }

    /** The bundled catalog with the override the file (which wins) or the SSM parameter holds, if either is named. */
    public static ConfiguredCatalog configured(Optional<String> file, Optional<String> ssmParameter, Supplier<SsmClient> ssm) {
        CatalogEntries bundled = bundledEntries();
        if (file.filter(f -> !f.isBlank()).isPresent()) {
            Path path = Path.of(file.get());
            String json;
            try {
                json = Files.readString(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the model catalog file " + path, e);
            }
            return overridden(bundled, CatalogJson.parse(json, path.toString()), path.toString());
        }
        if (ssmParameter.filter(p -> !p.isBlank()).isPresent()) {
            String source = "SSM parameter " + ssmParameter.get();
            String json = ssm.get().getParameter(get -> get.name(ssmParameter.get()).withDecryption(true)).parameter().value();
            return overridden(bundled, CatalogJson.parse(json, source), source);
        }
        return new ConfiguredCatalog(build(bundled, BUNDLED_NAME), BUNDLED_NAME);
    }

    private static ConfiguredCatalog overridden(CatalogEntries bundled, CatalogEntries override, String source) {
        String sources = BUNDLED_NAME + " overridden by " + source;
        return new ConfiguredCatalog(build(() -> bundled.overriddenBy(override), sources), sources);
    }

    private static ModelCatalog build(CatalogEntries entries, String sources) {
        return build(() -> entries, sources);
    }

    /** Errors about the entries together (a default that is no model) name the files they come from. */
    private static ModelCatalog build(Supplier<CatalogEntries> entries, String sources) {
        try {
            return ModelCatalog.of(entries.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model catalog (" + sources + "): " + e.getMessage(), e);
        }
    }
}
