package dev.pacer.localrun.moto;

import java.net.URI;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SDK clients for an emulator endpoint: us-east-1, static credentials, S3 path-style. Without a key they sign with
 * test/test, which moto accepts until IAM is enforced ({@link MotoServer#enforceIam()}); after that, pass a key of an
 * IAM user, such as the local run's admin.
 */
public record AwsClients(DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3) implements AutoCloseable {

    /** The region of every local resource, ARN and client. */
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY_ID = AccessKey.TEST.accessKeyId();
    public static final String SECRET_ACCESS_KEY = AccessKey.TEST.secretAccessKey();

    public static AwsClients forEndpoint(URI endpoint) {
        return forEndpoint(endpoint, AccessKey.TEST);
    }

    public static AwsClients forEndpoint(URI endpoint, AccessKey key) {
        return new AwsClients(dynamoDb(endpoint, key), sqs(endpoint, key), s3(endpoint, key));
    }

    public static DynamoDbClient dynamoDb(URI endpoint) {
        return dynamoDb(endpoint, AccessKey.TEST);
    }

    public static DynamoDbClient dynamoDb(URI endpoint, AccessKey key) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(key.provider())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static SqsClient sqs(URI endpoint) {
        return sqs(endpoint, AccessKey.TEST);
    }

    public static SqsClient sqs(URI endpoint, AccessKey key) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(key.provider())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static S3Client s3(URI endpoint) {
        return s3(endpoint, AccessKey.TEST);
    }

    public static S3Client s3(URI endpoint, AccessKey key) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(key.provider())
                .httpClient(UrlConnectionHttpClient.create())
                // bucket names as path segments: no wildcard DNS for bucket.127.0.0.1
                .forcePathStyle(true)
                .build();
    }

    /** IAM is global: moto serves it on the same endpoint, signed for us-east-1 as IAM's global endpoint is. */
    public static IamClient iam(URI endpoint, AccessKey key) {
        return IamClient.builder()
                .endpointOverride(endpoint)
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(key.provider())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
        s3.close();
    }
}
