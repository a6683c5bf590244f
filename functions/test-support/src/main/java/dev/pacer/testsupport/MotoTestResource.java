package dev.pacer.testsupport;

import dev.pacer.localrun.iam.LocalIdentities;
import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.s3.PostObjectEndpoint;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts moto on a free loopback port, creates template.yaml's tables, queues and bucket in it, and
 * points the Quarkiverse DynamoDB, SQS and S3 clients and pacer's resource names at them.
 * Tests reach the same resources through {@link #resources()} and {@link #clients()}.
 * <p>
 * With the init argument {@value #FUNCTION} naming a function of the template, moto enforces IAM: the application
 * signs with the key of an IAM user allowed what that function's role allows, as in the local run, and
 * {@link #clients()} with an admin's, so a test may set up and inspect anything.
 */
public final class MotoTestResource implements QuarkusTestResourceLifecycleManager {

    /** {@code @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction")}: run with that role. */
    public static final String FUNCTION = "function";

    private static volatile ProvisionedResources resources;
    private static volatile AwsClients clients;
    private MotoServer server;
    private PostObjectEndpoint uploads;
    private String function;

    @Override
    public void init(Map<String, String> initArgs) {
        function = initArgs.get(FUNCTION);
    }

    @Override
    public Map<String, String> start() {
        server = MotoServer.start();
        CloudFormationTemplate template = CloudFormationTemplate.load();
        resources = TemplateProvisioner.provision(template, server.endpoint(), TemplateProvisioner.DEFAULT_PREFIX);
        AccessKey application = AccessKey.TEST;
        AccessKey test = AccessKey.TEST;
        if (function != null) {
            LocalIdentities identities = LocalIdentities.create(template, server.endpoint(), TemplateProvisioner.DEFAULT_PREFIX);
            server.enforceIam();
            application = identities.of(function);
            // moto cannot take a form POST with IAM enforced: the local run's stand-in for S3's POST Object does
            List<AccessKey> keys = new java.util.ArrayList<>(identities.functions().values());
            keys.add(identities.admin());
            uploads = new PostObjectEndpoint(server.endpoint(), keys);
            test = identities.admin();
        }
        clients = AwsClients.forEndpoint(server.endpoint(), test);
        Map<String, String> config = new HashMap<>();
        for (String service : List.of("dynamodb", "sqs", "s3")) {
            config.put("quarkus." + service + ".endpoint-override", server.endpoint().toString());
            config.put("quarkus." + service + ".aws.region", "us-east-1");
            config.put("quarkus." + service + ".aws.credentials.type", "static");
            config.put("quarkus." + service + ".aws.credentials.static-provider.access-key-id", application.accessKeyId());
            config.put("quarkus." + service + ".aws.credentials.static-provider.secret-access-key", application.secretAccessKey());
        }
        config.put("quarkus.s3.path-style-access", "true");
        config.put("pacer.jobs-table", resources.physicalId("JobsTable"));
        config.put("pacer.jobs-queue-url", resources.physicalId("JobsQueue"));
        config.put("pacer.images-bucket", resources.physicalId("ImagesBucket"));
        config.put("pacer.callbacks.queue-url", resources.physicalId("CallbacksQueue"));
        if (resources.contains("BatchesTable")) {
            config.put("pacer.batches-table", resources.physicalId("BatchesTable"));
        }
        if (uploads != null) {
            config.put("pacer.uploads.form-url", uploads.formUrl(resources.physicalId("ImagesBucket")).toString());
        }
        if (resources.contains("QuotaTable")) {
            config.put("pacer.quota-table", resources.physicalId("QuotaTable"));
        }
        return config;
    }

    @Override
    public void stop() {
        if (clients != null) {
            clients.close();
        }
        if (uploads != null) {
            uploads.close();
        }
        if (server != null) {
            server.close();
        }
    }

    public static ProvisionedResources resources() {
        return resources;
    }

    public static AwsClients clients() {
        return clients;
    }
}
