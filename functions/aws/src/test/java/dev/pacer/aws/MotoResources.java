package dev.pacer.aws;

import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One moto_server per test class on a free loopback port, with the tables, queues and bucket of
 * template.yaml created in it. Register with {@code @RegisterExtension static MotoResources moto = new MotoResources();}.
 */
public final class MotoResources implements BeforeAllCallback, AfterAllCallback {

    private MotoServer server;
    private AwsClients clients;
    private ProvisionedResources resources;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = MotoServer.start();
        resources = TemplateProvisioner.provision(server.endpoint());
        clients = AwsClients.forEndpoint(server.endpoint());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clients.close();
        server.close();
    }

    public AwsClients clients() {
        return clients;
    }

    public ProvisionedResources resources() {
        return resources;
    }

    public MotoServer server() {
        return server;
    }
}
