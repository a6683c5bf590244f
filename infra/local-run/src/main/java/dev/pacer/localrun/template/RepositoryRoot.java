package dev.pacer.localrun.template;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the pacer checkout, the directory holding template.yaml, whatever the working directory is. */
public final class RepositoryRoot {

    public static final String PROPERTY = "pacer.root";
    private static final String TEMPLATE = "template.yaml";

    private RepositoryRoot() {
    }

    /** The {@code pacer.root} system property (Maven sets it for tests), else the nearest ancestor with a template.yaml. */
    public static Path locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(TEMPLATE))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + TEMPLATE + " in " + start + " or above; set -D" + PROPERTY + "=<checkout>");
    }

    public static Path template() {
        return locate().resolve(TEMPLATE);
    }
}
