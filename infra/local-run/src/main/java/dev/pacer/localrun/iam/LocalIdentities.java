package dev.pacer.localrun.iam;

import dev.pacer.localrun.lambda.FunctionDefinition;
import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.TemplateResource;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;

/**
 * The IAM users a local run makes in moto, with moto's IAM API: an admin allowed every action (for the developer's
 * aws commands, the tests' own clients and the local Lambda service), and one user per function of the template
 * allowed exactly what that function's role allows ({@link FunctionRole}). Made before IAM is enforced, with the
 * default test credentials; a function then runs with its user's access key.
 */
public record LocalIdentities(AccessKey admin, Map<String, AccessKey> functions) {

    private static final String ADMIN_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Everything\","
            + "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    public LocalIdentities {
        functions = Map.copyOf(functions);
    }

    /** Users named {@code prefix + "admin"} and {@code prefix + logical id}, like the provisioned resources. */
    public static LocalIdentities create(CloudFormationTemplate template, URI endpoint, String prefix) {
        try (IamClient iam = AwsClients.iam(endpoint, AccessKey.TEST)) {
            AccessKey admin = user(iam, prefix + "admin", ADMIN_POLICY);
            Map<String, AccessKey> functions = new LinkedHashMap<>();
            for (TemplateResource function : template.resourcesOfType(FunctionDefinition.TYPE)) {
                FunctionRole role = FunctionRole.of(template, function.logicalId());
                functions.put(function.logicalId(), user(iam, prefix + function.logicalId(), role.localPolicyDocument()));
            }
            return new LocalIdentities(admin, functions);
        }
    }

    /** The access key of the user standing in for this function's role. */
    public AccessKey of(String functionLogicalId) {
        AccessKey key = functions.get(functionLogicalId);
        if (key == null) {
            throw new IllegalArgumentException("no local identity for " + functionLogicalId + "; have " + functions.keySet());
        }
        return key;
    }

    private static AccessKey user(IamClient iam, String name, String policyDocument) {
        String policyArn = iam.createPolicy(p -> p.policyName(name).policyDocument(policyDocument)).policy().arn();
        iam.createUser(u -> u.userName(name));
        iam.attachUserPolicy(a -> a.userName(name).policyArn(policyArn));
        CreateAccessKeyResponse created = iam.createAccessKey(k -> k.userName(name));
        return new AccessKey(created.accessKey().accessKeyId(), created.accessKey().secretAccessKey());
    }
}
