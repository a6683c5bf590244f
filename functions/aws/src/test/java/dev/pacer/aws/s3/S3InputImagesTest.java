package dev.pacer.aws.s3;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.InputImagesContract;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** Reference images read from the images bucket on moto: a ranged GET for the head, a stream for the whole. */
class S3InputImagesTest extends InputImagesContract {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static String bucket() {
        return moto.resources().physicalId("ImagesBucket");
    }

    @Override
    protected InputImages newImages() {
        return new S3InputImages(moto.clients().s3(), bucket());
    }

    @Override
    protected void store(String key, byte[] bytes) {
        moto.clients().s3().putObject(put -> put.bucket(bucket()).key(key), RequestBody.fromBytes(bytes));
    }
}
