package dev.pacer.localrun.template;

import java.util.Map;

/** One entry of the template's Resources section, properties as parsed (intrinsics unresolved). */
public record TemplateResource(String logicalId, String type, Map<String, Object> properties) {

    public TemplateResource {
        properties = properties == null ? Map.of() : properties;
    }
}
