package dev.pacer.localrun.template;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The shapes-only template under src/test/resources, for tests that must not depend on the real one's details. */
public final class TestTemplates {

    private TestTemplates() {
    }

    public static CloudFormationTemplate shapes() {
        try {
            return CloudFormationTemplate.load(Path.of(TestTemplates.class.getResource("/test-template.yaml").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
