package dev.pacer.localrun.lambda;

import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.ProvisionedResources;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a function sees locally: what Lambda itself sets, then the template's Globals and function
 * variables with intrinsics resolved to the local resources, then what points the Quarkus SDK clients at the
 * emulator with the function's credentials, then the caller's extras (which win, so a developer can override anything).
 * On Lambda the credentials are the role's; locally they are the access key of the IAM user standing in for it.
 */
public final class FunctionEnvironment {

    private FunctionEnvironment() {
    }

    public static Map<String, String> of(CloudFormationTemplate template, String logicalId, ProvisionedResources resources,
            Map<String, String> extras) {
        return of(template, FunctionDefinition.from(template, logicalId), resources, extras);
    }

    /** With moto's default test credentials, for an emulator that does not enforce IAM. */
    public static Map<String, String> of(CloudFormationTemplate template, FunctionDefinition function,
            ProvisionedResources resources, Map<String, String> extras) {
        return of(template, function, resources, AccessKey.TEST, extras);
    }

    public static Map<String, String> of(CloudFormationTemplate template, FunctionDefinition function,
            ProvisionedResources resources, AccessKey credentials, Map<String, String> extras) {
        Map<String, String> env = new LinkedHashMap<>(lambdaVariables(function));
        function.environment().forEach((name, value) -> env.put(name, template.resolveToString(value, resources)));
        env.putAll(emulatorVariables(resources, credentials));
        env.putAll(extras);
        return env;
    }

    /** Variables the Lambda service sets for every function (the handler-related ones are added by the launcher). */
    static Map<String, String> lambdaVariables(FunctionDefinition function) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Long.toString(function.timeout().toSeconds()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.logicalId());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_DEFAULT_REGION", AwsClients.REGION);
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        return env;
    }

    /** Points the Quarkiverse clients (and the plain SDK default chain) at the emulator, signing with {@code credentials}. */
    static Map<String, String> emulatorVariables(ProvisionedResources resources, AccessKey credentials) {
        String endpoint = resources.endpoint().toString();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", endpoint);
        env.put("QUARKUS_SQS_ENDPOINT_OVERRIDE", endpoint);
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", endpoint);
        env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_REGION", AwsClients.REGION);
        env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        return env;
    }
}
