package dev.pacer.aws.s3;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.ImageStoreContract;
import dev.pacer.localrun.moto.AwsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The images bucket on moto: the {@link ImageStoreContract}, downloaded over plain HTTP, and how long a URL lasts. */
class S3ImageStoreTest extends ImageStoreContract {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static S3Presigner presigner;

    @BeforeAll
    static void presigner() {
        presigner = S3Presigner.builder()
                .endpointOverride(moto.server().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AwsClients.ACCESS_KEY_ID, AwsClients.SECRET_ACCESS_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    @AfterAll
    static void closePresigner() {
        presigner.close();
    }

    @Override
    protected S3ImageStore newStore() {
        return new S3ImageStore(moto.clients().s3(), presigner, moto.resources().physicalId("ImagesBucket"));
    }

    @Override
    protected Download download(URI url) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Download(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void aPresignedUrlLastsAsLongAsAskedFor() {
        ImageStore store = newStore();
        store.put("generations/abc/0.png", new byte[] {1}, "image/png");

        URI url = store.presignedGet("generations/abc/0.png", Duration.ofMinutes(15));

        assertTrue(url.getQuery().contains("X-Amz-Expires=900"), url::toString);
    }
}
