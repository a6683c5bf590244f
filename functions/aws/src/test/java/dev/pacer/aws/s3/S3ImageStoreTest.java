package dev.pacer.aws.s3;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.StoredImage;
import dev.pacer.localrun.moto.AwsClients;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3ImageStoreTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Test
    void aStoredImageDownloadsThroughItsPresignedUrl() throws Exception {
        try (S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(moto.server().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AwsClients.ACCESS_KEY_ID, AwsClients.SECRET_ACCESS_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            var store = new S3ImageStore(moto.clients().s3(), presigner, moto.resources().physicalId("ImagesBucket"));
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};

            store.put("generations/abc/0.png", png, "image/png");
            URI url = store.presignedGet("generations/abc/0.png", Duration.ofMinutes(15));

            assertTrue(url.getQuery().contains("X-Amz-Expires=900"), url::toString);
            store.put("generations/abc/1.webp", new byte[] {1, 2}, "image/webp");
            store.put("generations/abcd/0.png", new byte[] {3}, "image/png");
            assertEquals(List.of(new StoredImage("generations/abc/0.png", "image/png", png.length),
                            new StoredImage("generations/abc/1.webp", "image/webp", 2)),
                    store.stored("generations/abc/"), "only this job's images, with what their names say");
            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertArrayEquals(png, response.body());
            assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
        }
    }
}
