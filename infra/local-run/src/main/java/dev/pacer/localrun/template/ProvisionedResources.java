package dev.pacer.localrun.template;

import java.net.URI;
import java.util.Map;

/** What {@link TemplateProvisioner} created, by logical id, and the emulator endpoint it lives on. */
public record ProvisionedResources(URI endpoint, Map<String, ProvisionedResource> byLogicalId) {

    public ProvisionedResources {
        byLogicalId = Map.copyOf(byLogicalId);
    }

    public ProvisionedResource get(String logicalId) {
        ProvisionedResource resource = byLogicalId.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no provisioned resource " + logicalId + "; have " + byLogicalId.keySet());
        }
        return resource;
    }

    public boolean contains(String logicalId) {
        return byLogicalId.containsKey(logicalId);
    }

    /** Table name, queue URL or bucket name: the value of {@code !Ref logicalId}. */
    public String physicalId(String logicalId) {
        return get(logicalId).physicalId();
    }

    /** The value of {@code !GetAtt logicalId.Arn}. */
    public String arn(String logicalId) {
        return get(logicalId).arn();
    }
}
