package dev.pacer.localrun.moto;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** An access key moto knows: the emulator's default test/test, or one made for an IAM user. */
public record AccessKey(String accessKeyId, String secretAccessKey) {

    /** moto's default credentials. They work only while IAM is not enforced: they belong to no IAM user. */
    public static final AccessKey TEST = new AccessKey("test", "test");

    public AwsCredentialsProvider provider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    /** The two environment variables the SDKs and the AWS CLI read their credentials from. */
    public String asEnvironment() {
        return "AWS_ACCESS_KEY_ID=" + accessKeyId + " AWS_SECRET_ACCESS_KEY=" + secretAccessKey;
    }

    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + "]";
    }
}
