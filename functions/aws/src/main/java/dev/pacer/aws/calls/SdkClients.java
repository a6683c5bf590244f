package dev.pacer.aws.calls;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The SDK clients the functions build themselves (Quarkus builds the DynamoDB, SQS and S3 ones): the URL connection
 * HTTP client, as Quarkus' are configured, and the {@link AwsCallLog} registered, so their calls are counted too.
 */
public final class SdkClients {

    private SdkClients() {
    }

    public static SsmClient ssm() {
        return SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(AwsCallLog::register).build();
    }

    public static SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(AwsCallLog::register).build();
    }
}
