package dev.pacer.localrun.template;

import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's template.yaml: resources by logical id and type, parameters with their defaults, Globals, the
 * Conditions, and the intrinsic functions ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}, {@code Fn::Join},
 * {@code Fn::Select}, {@code Fn::If}) resolved against what was provisioned locally.
 */
public final class CloudFormationTemplate {

    public static final String LOCAL_STACK_NAME = "pacer-local";

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    /** Conditions compare parameters and pseudo parameters, never resources: they need nothing provisioned. */
    private static final ProvisionedResources NOTHING_PROVISIONED = new ProvisionedResources(null, Map.of());

    private final Path file;
    private final Map<String, Object> document;
    private final Map<String, String> parameterOverrides;

    private CloudFormationTemplate(Path file, Map<String, Object> document, Map<String, String> parameterOverrides) {
        this.file = file;
        this.document = document;
        this.parameterOverrides = Map.copyOf(parameterOverrides);
    }

    /** The template.yaml of this checkout (see {@link RepositoryRoot}). */
    public static CloudFormationTemplate load() {
        return load(RepositoryRoot.template());
    }

    public static CloudFormationTemplate load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return new CloudFormationTemplate(absolute, CloudFormationYaml.read(absolute), Map.of());
    }

    /** A copy where {@code Ref parameter} yields {@code value} instead of the parameter's default. */
    public CloudFormationTemplate withParameter(String name, String value) {
        parameterDefinition(name);
        Map<String, String> overrides = new HashMap<>(parameterOverrides);
        overrides.put(name, value);
        return new CloudFormationTemplate(file, document, overrides);
    }

    public Path file() {
        return file;
    }

    /** The directory relative to which CodeUri paths are read. */
    public Path directory() {
        return file.getParent();
    }

    public Map<String, TemplateResource> resources() {
        Map<String, TemplateResource> resources = new LinkedHashMap<>();
        section("Resources").forEach((id, definition) -> {
            Map<String, Object> body = asMap(definition, "Resources." + id);
            resources.put(id, new TemplateResource(id, (String) body.get("Type"), optionalMap(body.get("Properties"))));
        });
        return resources;
    }

    public TemplateResource resource(String logicalId) {
        TemplateResource resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException(file + " has no resource " + logicalId);
        }
        return resource;
    }

    public List<TemplateResource> resourcesOfType(String type) {
        return resources().values().stream().filter(r -> type.equals(r.type())).toList();
    }

    /** The Globals section, e.g. {@code globals().get("Function")}. */
    public Map<String, Object> globals() {
        return section("Globals");
    }

    public Map<String, Object> functionGlobals() {
        return optionalMap(globals().get("Function"));
    }

    /** Every parameter's effective value: override, else Default; parameters without either are absent. */
    public Map<String, String> parameterValues() {
        Map<String, String> values = new LinkedHashMap<>();
        section("Parameters").forEach((name, definition) -> {
            Object fallback = optionalMap(definition).get("Default");
            String value = parameterOverrides.getOrDefault(name, fallback == null ? null : String.valueOf(fallback));
            if (value != null) {
                values.put(name, value);
            }
        });
        return values;
    }

    private Map<String, Object> parameterDefinition(String name) {
        Object definition = section("Parameters").get(name);
        if (definition == null) {
            throw new IllegalArgumentException(file + " has no parameter " + name);
        }
        return optionalMap(definition);
    }

    /**
     * Returns {@code value} with every intrinsic function replaced by its local result. Maps and lists are copied;
     * {@code AWS::NoValue} entries disappear as in CloudFormation.
     */
    public Object resolve(Object value, ProvisionedResources provisioned) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String key = String.valueOf(only.getKey());
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return intrinsic(key, only.getValue(), provisioned);
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object result = resolve(v, provisioned);
                if (result != null) {
                    resolved.put(String.valueOf(k), result);
                }
            });
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : list) {
                Object result = resolve(item, provisioned);
                if (result != null) {
                    resolved.add(result);
                }
            }
            return resolved;
        }
        return value;
    }

    /**
     * Returns {@code value} with each {@code Fn::If} replaced by the branch its condition takes and {@code AWS::NoValue}
     * entries removed; every other intrinsic is kept as it is, unresolved.
     */
    public Object applyConditions(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Fn::If")) {
                return applyConditions(chosenBranch(map.get("Fn::If")));
            }
            if (map.size() == 1 && "AWS::NoValue".equals(map.get("Ref"))) {
                return null;
            }
            Map<String, Object> applied = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object result = applyConditions(v);
                if (result != null) {
                    applied.put(String.valueOf(k), result);
                }
            });
            return applied;
        }
        if (value instanceof List<?> list) {
            List<Object> applied = new ArrayList<>();
            for (Object item : list) {
                Object result = applyConditions(item);
                if (result != null) {
                    applied.add(result);
                }
            }
            return applied;
        }
        return value;
    }

    /** Whether the named condition of the Conditions section holds for the parameters' values. */
    public boolean condition(String name) {
        Object definition = section("Conditions").get(name);
        if (definition == null) {
            throw new IllegalArgumentException(file + " has no condition " + name);
        }
        return holds(definition);
    }

    private boolean holds(Object expression) {
        Map<String, Object> function = asMap(expression, "a condition");
        if (function.size() != 1) {
            throw new IllegalArgumentException("a condition is one function, got " + function);
        }
        Map.Entry<String, Object> only = function.entrySet().iterator().next();
        List<?> arguments = only.getValue() instanceof List<?> list ? list : List.of(only.getValue());
        return switch (only.getKey()) {
            case "Fn::Equals" -> String.valueOf(resolve(arguments.get(0), NOTHING_PROVISIONED))
                    .equals(String.valueOf(resolve(arguments.get(1), NOTHING_PROVISIONED)));
            case "Fn::Not" -> !holds(arguments.get(0));
            case "Fn::And" -> arguments.stream().allMatch(this::holds);
            case "Fn::Or" -> arguments.stream().anyMatch(this::holds);
            case "Condition" -> condition(String.valueOf(only.getValue()));
            default -> throw new IllegalArgumentException(only.getKey() + " is not supported in a condition by the local run");
        };
    }

    /** The branch of {@code Fn::If [condition, whenTrue, whenFalse]} its condition takes. */
    private Object chosenBranch(Object argument) {
        List<?> parts = asList(argument, "Fn::If");
        return condition(String.valueOf(parts.get(0))) ? parts.get(1) : parts.get(2);
    }

    /** {@link #resolve} for values that must end up a string (environment variables, names). */
    public String resolveToString(Object value, ProvisionedResources provisioned) {
        Object resolved = resolve(value, provisioned);
        return resolved == null ? null : String.valueOf(resolved);
    }

    private Object intrinsic(String function, Object argument, ProvisionedResources provisioned) {
        return switch (function) {
            case "Ref" -> ref(String.valueOf(argument), provisioned);
            case "Fn::GetAtt" -> getAtt(argument, provisioned);
            case "Fn::Sub" -> sub(argument, provisioned);
            case "Fn::Join" -> {
                List<?> parts = asList(argument, function);
                String delimiter = String.valueOf(parts.get(0));
                List<String> joined = asList(resolve(parts.get(1), provisioned), function).stream().map(String::valueOf).toList();
                yield String.join(delimiter, joined);
            }
            case "Fn::If" -> resolve(chosenBranch(argument), provisioned);
            case "Fn::Select" -> {
                List<?> parts = asList(argument, function);
                int index = Integer.parseInt(String.valueOf(resolve(parts.get(0), provisioned)));
                yield asList(resolve(parts.get(1), provisioned), function).get(index);
            }
            default -> throw new IllegalArgumentException(function + " is not supported by the local run");
        };
    }

    private Object ref(String name, ProvisionedResources provisioned) {
        switch (name) {
            case "AWS::Region":
                return AwsClients.REGION;
            case "AWS::AccountId":
                return MotoServer.ACCOUNT_ID;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return LOCAL_STACK_NAME;
            case "AWS::NoValue":
                return null;
            default:
                break;
        }
        if (section("Parameters").containsKey(name)) {
            String value = parameterValues().get(name);
            if (value == null) {
                throw new IllegalArgumentException("parameter " + name + " has no Default; give it a value");
            }
            return value;
        }
        if (provisioned.contains(name)) {
            return provisioned.physicalId(name);
        }
        throw new IllegalArgumentException("Ref " + name + ": not a parameter nor a resource created locally");
    }

    private Object getAtt(Object argument, ProvisionedResources provisioned) {
        List<?> parts = argument instanceof String text ? List.of(text.split("\\.", 2)) : asList(argument, "Fn::GetAtt");
        String logicalId = String.valueOf(parts.get(0));
        String attribute = String.valueOf(parts.get(1));
        ProvisionedResource resource = provisioned.get(logicalId);
        return switch (attribute) {
            case "Arn" -> resource.arn();
            case "QueueUrl" -> resource.physicalId();
            case "QueueName" -> resource.physicalId().substring(resource.physicalId().lastIndexOf('/') + 1);
            default -> throw new IllegalArgumentException("Fn::GetAtt " + logicalId + "." + attribute + " is not supported locally");
        };
    }

    private String sub(Object argument, ProvisionedResources provisioned) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list) {
            text = String.valueOf(list.get(0));
            variables = optionalMap(list.get(1));
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            Object value;
            if (variables.containsKey(variable)) {
                value = resolve(variables.get(variable), provisioned);
            } else if (variable.contains(".")) {
                value = getAtt(variable, provisioned);
            } else {
                value = ref(variable, provisioned);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(result);
        // "${!Literal}" is CloudFormation's escape for a literal "${Literal}"
        return result.toString().replace("${!", "${");
    }

    /** Resources referenced (Ref, GetAtt, Sub) anywhere inside {@code value}. */
    public List<String> referencedResources(Object value) {
        List<String> found = new ArrayList<>();
        collectReferences(value, found);
        found.removeIf(id -> !section("Resources").containsKey(id));
        return found.stream().distinct().toList();
    }

    private void collectReferences(Object value, List<String> found) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, argument) -> {
                switch (String.valueOf(key)) {
                    // SAM's "Function.Alias" and "Function.Version" name what it generates for that function
                    case "Ref" -> found.add(String.valueOf(argument).split("\\.", 2)[0]);
                    case "Fn::GetAtt" -> found.add(argument instanceof List<?> l ? String.valueOf(l.get(0))
                            : String.valueOf(argument).split("\\.", 2)[0]);
                    case "Fn::Sub" -> {
                        String text = String.valueOf(argument instanceof List<?> l ? l.get(0) : argument);
                        Matcher matcher = SUB_VARIABLE.matcher(text);
                        while (matcher.find()) {
                            found.add(matcher.group(1).split("\\.", 2)[0]);
                        }
                        if (argument instanceof List<?> l && l.size() > 1) {
                            collectReferences(l.get(1), found);
                        }
                    }
                    default -> collectReferences(argument, found);
                }
            });
        } else if (value instanceof List<?> list) {
            list.forEach(item -> collectReferences(item, found));
        }
    }

    private Map<String, Object> section(String name) {
        return optionalMap(document.get(name));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> optionalMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(where + " is not a mapping");
    }

    private static List<?> asList(Object value, String where) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException(where + " expects a list, got " + value);
    }
}
