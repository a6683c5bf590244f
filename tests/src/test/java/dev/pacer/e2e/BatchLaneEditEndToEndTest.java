package dev.pacer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.localrun.moto.AwsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A batch-lane edit on the local run: an uploaded image is edited in a provider batch (the scheduled collector reads
 * the upload from S3 with its own role, as it opens the batch), then the result is edited again in another batch,
 * chained on the first job's image. Both end SUCCEEDED with their image in S3 and one batch entry in their attempt log.
 * The local run checks a role's actions, not its resources (moto), so the prefixes the collector may read are held by
 * CloudFormationTemplateTest.
 */
class BatchLaneEditEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MODEL = "gemini-3.1-flash-image";

    @TempDir
    static Path dir;
    private static LocalRun localRun;
    private static AwsClients aws;

    @BeforeAll
    static void start() throws Exception {
        Path pool = dir.resolve("accounts.json");
        Files.writeString(pool, """
                {"accounts": [
                  {"id": "sim-a", "provider": "simulated", "models": {"%s": {"rpm": 100, "ipm": 100, "rpd": 10000}}}
                ]}""".formatted(MODEL));
        // one waiting job closes a batch; the simulated batch takes 3 s (factor 0.05); schedules run every 6 s
        localRun = LocalRun.start(LocalRunOptions.forTests()
                .withLatencyFactor("0.05")
                .withScheduleScale(0.1)
                .withEnvironment("PACER_ACCOUNTS_FILE", pool.toAbsolutePath().toString())
                .withEnvironment("PACER_BATCH_MIN_LINES", "1"));
        aws = localRun.awsClients();
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
        if (localRun != null) {
            localRun.close();
        }
    }

    @Test
    void anUploadIsEditedOnTheBatchLaneAndItsResultEditedAgainInAnotherBatch() throws Exception {
        String upload = upload(png(512, 512, 6_000));

        JsonNode first = finished(submit("the shoes on a wet beach", "[{\"upload\":\"" + upload + "\"}]"));
        String firstImage = batchEdited(first);
        assertEquals(upload, first.get("inputs").get(0).get("upload").asText(), first::toString);

        // the sync lane draws the same picture from the same bytes: the collector read the upload, not just its name
        JsonNode sync = finished(submit("the shoes on a wet beach", "[{\"upload\":\"" + upload + "\"}]", "sync"));
        assertEquals("SUCCEEDED", sync.get("status").asText(), sync::toString);
        assertArrayEquals(object(sync.get("images").get(0).get("key").asText()), object(firstImage));

        JsonNode chained = finished(submit("the same beach at night", "[{\"job\":\"" + first.get("id").asText() + "\",\"index\":0}]"));
        String chainedImage = batchEdited(chained);
        assertEquals(first.get("id").asText(), chained.get("inputs").get(0).get("job").asText(), chained::toString);
        assertFalse(java.util.Arrays.equals(object(firstImage), object(chainedImage)));
    }

    private static byte[] object(String key) {
        return aws.s3().getObjectAsBytes(get -> get.bucket(localRun.resources().physicalId("ImagesBucket")).key(key)).asByteArray();
    }

    /** The job ended SUCCEEDED on the batch lane, its image in S3, one simulated batch in its attempt log: its key. */
    private static String batchEdited(JsonNode job) {
        assertEquals("SUCCEEDED", job.get("status").asText(), job::toString);
        assertEquals("batch", job.get("lane").asText(), job::toString);
        assertEquals(1, job.get("images").size(), job::toString);
        String key = job.get("images").get(0).get("key").asText();
        assertEquals("generations/" + job.get("id").asText() + "/0.png", key);
        long stored = aws.s3().headObject(head -> head.bucket(localRun.resources().physicalId("ImagesBucket")).key(key)).contentLength();
        assertEquals(job.get("images").get(0).get("bytes").asLong(), stored, "the image is in S3");
        assertEquals(1, job.get("attemptLog").size(), job::toString);
        assertEquals("simulated-batch", job.get("attemptLog").get(0).get("provider").asText(), job::toString);
        assertEquals("GENERATED", job.get("attemptLog").get(0).get("outcome").asText(), job::toString);
        return key;
    }

    private static String submit(String prompt, String inputs) throws Exception {
        return submit(prompt, inputs, "batch");
    }

    private static String submit(String prompt, String inputs, String lane) throws Exception {
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/generations"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\",\"model\":\"" + MODEL
                        + "\",\"resolution\":\"1K\",\"lane\":\"" + lane + "\",\"inputs\":" + inputs + "}")));
        assertEquals(202, accepted.statusCode(), accepted::body);
        JsonNode body = JSON.readTree(accepted.body());
        assertEquals(lane, body.get("lane").asText(), accepted::body);
        return body.get("id").asText();
    }

    private static JsonNode finished(String id) throws Exception {
        JsonNode job = get("/v1/generations/" + id);
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (!job.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED") && Instant.now().isBefore(giveUp)) {
            Thread.sleep(500);
            job = get("/v1/generations/" + id);
        }
        return job;
    }

    /** POST /v1/uploads, then the file through the presigned form it answers: the upload id. */
    private static String upload(byte[] file) throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(localRun.apiUrl().resolve("/v1/uploads"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"contentType\":\"image/png\",\"bytes\":" + file.length + "}")));
        assertEquals(201, created.statusCode(), created::body);
        JsonNode answer = JSON.readTree(created.body());
        String boundary = "pacer-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Iterator<Map.Entry<String, JsonNode>> fields = answer.get("upload").get("fields").fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue().asText() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"shoes.png\"\r\nContent-Type: image/png"
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(answer.get("upload").get("url").asText()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertEquals(204, posted.statusCode(), posted::body);
        return answer.get("id").asText();
    }

    /** A PNG's signature and IHDR (what intake reads of it), padded to {@code total} bytes. */
    private static byte[] png(int width, int height, int total) {
        ByteBuffer bytes = ByteBuffer.allocate(total);
        bytes.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        bytes.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height);
        return bytes.array();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String path) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(localRun.apiUrl().resolve(path)).GET()).body());
    }
}
