package dev.pacer.localrun.lambda;

import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.TemplateResource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AWS::Serverless::Function as SAM sees it: its own properties over Globals.Function, with SAM's defaults
 * (Timeout 3 s, MemorySize 128 MB). Environment values are still unresolved intrinsics.
 */
public record FunctionDefinition(String logicalId, Path codeUri, String handler, Duration timeout, int memoryMb,
        Map<String, Object> environment, Map<String, Map<String, Object>> events) {

    /** The template resource type of a function. */
    public static final String TYPE = "AWS::Serverless::Function";

    public static FunctionDefinition from(CloudFormationTemplate template, String logicalId) {
        TemplateResource resource = template.resource(logicalId);
        if (!TYPE.equals(resource.type())) {
            throw new IllegalArgumentException(logicalId + " is a " + resource.type() + ", not a function");
        }
        Map<String, Object> globals = template.functionGlobals();
        Map<String, Object> own = resource.properties();
        Map<String, Object> environment = new LinkedHashMap<>(variables(globals));
        environment.putAll(variables(own));
        Map<String, Map<String, Object>> events = new LinkedHashMap<>();
        CloudFormationTemplate.optionalMap(own.get("Events")).forEach((name, event) -> events.put(name, CloudFormationTemplate.optionalMap(event)));
        return new FunctionDefinition(
                logicalId,
                template.directory().resolve(String.valueOf(property(own, globals, "CodeUri", "."))),
                String.valueOf(property(own, globals, "Handler", "")),
                Duration.ofSeconds(Long.parseLong(String.valueOf(property(own, globals, "Timeout", 3)))),
                Integer.parseInt(String.valueOf(property(own, globals, "MemorySize", 128))),
                environment,
                events);
    }

    /** Events of one SAM type ("SQS", "Schedule"), each as its Properties mapping. */
    public Map<String, Map<String, Object>> eventsOfType(String type) {
        Map<String, Map<String, Object>> matching = new LinkedHashMap<>();
        events.forEach((name, event) -> {
            if (type.equals(event.get("Type"))) {
                matching.put(name, CloudFormationTemplate.optionalMap(event.get("Properties")));
            }
        });
        return matching;
    }

    private static Object property(Map<String, Object> own, Map<String, Object> globals, String name, Object samDefault) {
        Object value = own.get(name);
        if (value == null) {
            value = globals.get(name);
        }
        return value == null ? samDefault : value;
    }

    private static Map<String, Object> variables(Map<String, Object> properties) {
        return CloudFormationTemplate.optionalMap(CloudFormationTemplate.optionalMap(properties.get("Environment")).get("Variables"));
    }
}
