package dev.pacer.aws.quota;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The deployed path of the pool: its JSON in an SSM SecureString, its keys in Secrets Manager (moto for both). */
class DeployedAccountPoolTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Test
    void thePoolComesFromSsmAndEachKeyFromSecretsManagerByReference() throws Exception {
        try (SsmClient ssm = SsmClient.builder().endpointOverride(moto.server().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
             SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(moto.server().endpoint())
                .region(Region.US_EAST_1).credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build()) {
            String json = Files.readString(Path.of(System.getProperty("pacer.root"), "docs", "accounts.example.json"));
            ssm.putParameter(put -> put.name("/pacer/accounts").type(ParameterType.SECURE_STRING).value(json));
            secrets.createSecret(create -> create.name("pacer/gemini/project-a").secretString("AIza-project-a"));

            AccountPool pool = AccountPools.named(Optional.empty(), Optional.of("/pacer/accounts"), () -> ssm).orElseThrow();

            assertEquals(3, pool.accounts().size());
            Account projectA = pool.accounts().stream().filter(a -> a.id().equals("gemini-project-a")).findFirst().orElseThrow();
            var keys = new SecretsManagerAccountKeys(() -> secrets, Map.<String, String>of()::get, Clock.systemUTC());
            assertEquals(Optional.of("AIza-project-a"), keys.apiKey(projectA));
            Account projectB = pool.accounts().stream().filter(a -> a.id().equals("gemini-project-b")).findFirst().orElseThrow();
            assertThrows(RuntimeException.class, () -> keys.apiKey(projectB), "a missing secret is an error, not an empty key");
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }
}
