package dev.pacer.localrun.httpapi;

import dev.pacer.localrun.lambda.FunctionDefinition;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.TemplateResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route of the template's HTTP API: an {@code AWS::ApiGatewayV2::Route} ({@code RouteKey: GET /v1/generations/{id}})
 * and the function its integration calls. Matched as API Gateway does: {@code {name}} is one path segment,
 * {@code {name+}} the rest of the path, method {@code ANY} any method.
 */
public record HttpApiRoute(String method, String path, String functionLogicalId) {

    public static final String ROUTE = "AWS::ApiGatewayV2::Route";
    static final String INTEGRATION = "AWS::ApiGatewayV2::Integration";

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}+]+)(\\+?)}");

    /** Every route of the template, each followed Target → Integration → IntegrationUri to the function it calls. */
    public static List<HttpApiRoute> of(CloudFormationTemplate template) {
        return template.resourcesOfType(ROUTE).stream().map(route -> of(template, route)).toList();
    }

    private static HttpApiRoute of(CloudFormationTemplate template, TemplateResource route) {
        String routeKey = String.valueOf(route.properties().get("RouteKey"));
        String[] methodAndPath = routeKey.split(" ", 2);
        if (methodAndPath.length != 2 || !methodAndPath[1].startsWith("/")) {
            throw new IllegalArgumentException(route.logicalId() + ": RouteKey \"" + routeKey
                    + "\" is not \"METHOD /path\", the only form the local HTTP API serves");
        }
        TemplateResource integration = onlyReferenced(template, route, "Target", INTEGRATION);
        Object payloadFormat = integration.properties().get("PayloadFormatVersion");
        if (!"AWS_PROXY".equals(integration.properties().get("IntegrationType")) || !"2.0".equals(String.valueOf(payloadFormat))) {
            throw new IllegalArgumentException(integration.logicalId()
                    + ": the local HTTP API sends only AWS_PROXY events in payload format 2.0");
        }
        TemplateResource function = onlyReferenced(template, integration, "IntegrationUri", FunctionDefinition.TYPE);
        return new HttpApiRoute(methodAndPath[0].toUpperCase(Locale.ROOT), methodAndPath[1], function.logicalId());
    }

    private static TemplateResource onlyReferenced(CloudFormationTemplate template, TemplateResource resource, String property,
            String type) {
        List<TemplateResource> referenced = template.referencedResources(resource.properties().get(property)).stream()
                .map(template::resource).filter(r -> type.equals(r.type())).toList();
        if (referenced.size() != 1) {
            throw new IllegalArgumentException(resource.logicalId() + "." + property + " must name exactly one " + type);
        }
        return referenced.get(0);
    }

    /** "POST /v1/generations", the route key API Gateway reports. */
    public String routeKey() {
        return method + " " + path;
    }

    /** The path parameters when this route serves the request, empty when it does not. */
    public Optional<Map<String, String>> match(String requestMethod, String requestPath) {
        if (!method.equals("ANY") && !method.equalsIgnoreCase(requestMethod)) {
            return Optional.empty();
        }
        Matcher parameters = PARAMETER.matcher(path);
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        int last = 0;
        while (parameters.find()) {
            regex.append(Pattern.quote(path.substring(last, parameters.start())));
            regex.append(parameters.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(parameters.group(1));
            last = parameters.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        Matcher request = Pattern.compile(regex.toString()).matcher(requestPath);
        if (!request.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), request.group(i + 1));
        }
        return Optional.of(values);
    }
}
