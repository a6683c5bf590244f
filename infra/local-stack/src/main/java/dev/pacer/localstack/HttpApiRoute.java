package dev.pacer.localstack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route of an HttpApi event ({@code Method: GET, Path: /v1/generations/{id}}), matched as API Gateway does:
 * {@code {name}} is one path segment, {@code {name+}} the rest of the path, method {@code ANY} any method.
 */
public record HttpApiRoute(String method, String path) {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}+]+)(\\+?)}");

    public static List<HttpApiRoute> of(FunctionDefinition function) {
        return function.eventsOfType("HttpApi").values().stream()
                .map(p -> new HttpApiRoute(String.valueOf(p.getOrDefault("Method", "ANY")).toUpperCase(Locale.ROOT),
                        String.valueOf(p.getOrDefault("Path", "/{proxy+}"))))
                .toList();
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
        List<String> names = new java.util.ArrayList<>();
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
