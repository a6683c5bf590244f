package dev.pacer.localrun.moto;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One moto_server per test class, with SDK clients for it; each test provisions what it needs under its own prefix. */
public final class MotoWithClients implements BeforeAllCallback, AfterAllCallback {

    private MotoServer moto;
    private AwsClients clients;

    @Override
    public void beforeAll(ExtensionContext context) {
        moto = MotoServer.start();
        clients = AwsClients.forEndpoint(moto.endpoint());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clients.close();
        moto.close();
    }

    public MotoServer moto() {
        return moto;
    }

    public AwsClients clients() {
        return clients;
    }
}
