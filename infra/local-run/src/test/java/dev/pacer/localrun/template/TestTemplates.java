package dev.pacer.localrun.template;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The shapes-only template under src/test/resources, for tests that must not depend on the real one's details. */
public final class TestTemplates {

    private TestTemplates() {
    }

    public static CloudFormationTemplate shapes() {
        return load("/test-template.yaml");
    }

    /** Functions whose Policies take each shape SAM allows, and some the local run refuses to translate. */
    public static CloudFormationTemplate policies() {
        return load("/policies-template.yaml");
    }

    private static CloudFormationTemplate load(String resource) {
        try {
            return CloudFormationTemplate.load(Path.of(TestTemplates.class.getResource(resource).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
