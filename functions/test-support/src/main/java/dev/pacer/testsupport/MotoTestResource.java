package dev.pacer.testsupport;

import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
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
 */
public final class MotoTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile ProvisionedResources resources;
    private static volatile AwsClients clients;
    private MotoServer server;

    @Override
    public Map<String, String> start() {
        server = MotoServer.start();
        resources = TemplateProvisioner.provision(server.endpoint());
        clients = AwsClients.forEndpoint(server.endpoint());
        Map<String, String> config = new HashMap<>();
        for (String service : List.of("dynamodb", "sqs", "s3")) {
            config.put("quarkus." + service + ".endpoint-override", server.endpoint().toString());
            config.put("quarkus." + service + ".aws.region", "us-east-1");
            config.put("quarkus." + service + ".aws.credentials.type", "static");
            config.put("quarkus." + service + ".aws.credentials.static-provider.access-key-id", AwsClients.ACCESS_KEY_ID);
            config.put("quarkus." + service + ".aws.credentials.static-provider.secret-access-key", AwsClients.SECRET_ACCESS_KEY);
        }
        config.put("quarkus.s3.path-style-access", "true");
        config.put("pacer.jobs-table", resources.physicalId("JobsTable"));
        config.put("pacer.jobs-queue-url", resources.physicalId("JobsQueue"));
        config.put("pacer.images-bucket", resources.physicalId("ImagesBucket"));
        config.put("pacer.callbacks.queue-url", resources.physicalId("CallbacksQueue"));
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
