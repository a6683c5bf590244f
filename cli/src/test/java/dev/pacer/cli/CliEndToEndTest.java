package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.localrun.LocalRun;
import dev.pacer.localrun.LocalRunOptions;
import dev.pacer.localrun.moto.AwsClients;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The everyday use of pacer: the CLI (its main, in-process) against the local run running the packaged intake
 * and worker. A small prompt file with a bad line goes through submit, wait and download; the images land in the
 * folder with the bytes the worker stored in S3.
 */
class CliEndToEndTest {

    @AutoClose
    private static final LocalRun localRun = LocalRun.start(LocalRunOptions.forTests().withLatencyFactor("0.05"));
    @AutoClose
    private static final AwsClients aws = localRun.awsClients();

    @TempDir
    Path dir;

    /** One run of the CLI: exit code and what it printed. */
    record Run(int exit, String out, String err) {
    }

    @Test
    void aPromptFileGoesThroughSubmitWaitAndDownloadAndItsBadLineIsReportedNotFatal() throws Exception {
        Path prompts = Files.writeString(dir.resolve("prompts.jsonl"), """
                {"prompt":"a red fox in fresh snow","name":"fox","count":2}
                {"prompt":"a grey owl at dusk","name":"owl","resolution":"0.5K","aspectRatio":"16:9"}
                {"prompt":"a storm over the sea","name":"storm","resolution":"8K"}
                {"prompt":"a lighthouse","metadata":{"name":"lighthouse","client":"acme"}}
                """);

        Run submitted = pacer("submit", prompts.toString());

        assertEquals(Pacer.FAILED, submitted.exit(), submitted::toString);
        assertTrue(submitted.err().contains("prompts.jsonl line 3: ") && submitted.err().contains("field resolution, HTTP 400"),
                submitted::toString);
        assertTrue(submitted.out().contains("submitted 3 of 4 prompts"), submitted::toString);
        Path batch = dir.resolve("prompts.jsonl.pacer.jsonl");
        List<BatchFile.Entry> jobs = new BatchFile(batch).read();
        assertEquals(List.of(1, 2, 4), jobs.stream().map(BatchFile.Entry::line).toList());

        int jobsStored = jobsInDynamoDb();
        Run again = pacer("submit", prompts.toString());
        assertTrue(again.out().contains("3 already submitted before, not duplicated"), again::toString);
        assertEquals(jobs, new BatchFile(batch).read(), "the same jobs");
        assertEquals(jobsStored, jobsInDynamoDb(), "no new ones");

        Run waited = pacer("wait", prompts.toString(), "--interval", "0.2", "--timeout", "120");
        assertEquals(Pacer.OK, waited.exit(), waited::toString);
        assertTrue(waited.out().contains("all 3 jobs finished: 3 succeeded, 0 failed"), waited::toString);
        assertTrue(waited.out().contains("100%  3/3 jobs | 3 succeeded | 4/4 images"), waited::toString);

        Path images = dir.resolve("images");
        Run downloaded = pacer("download", batch.toString(), "--to", images.toString());
        assertEquals(Pacer.OK, downloaded.exit(), downloaded::toString);
        assertTrue(downloaded.out().startsWith("downloaded 4 images"), downloaded::toString);
        assertSameBytesAsS3(images.resolve("fox/0.png"), jobs.get(0).id(), 0);
        assertSameBytesAsS3(images.resolve("fox/1.png"), jobs.get(0).id(), 1);
        assertSameBytesAsS3(images.resolve("owl/0.png"), jobs.get(1).id(), 0);
        assertSameBytesAsS3(images.resolve("lighthouse/0.png"), jobs.get(2).id(), 0);
        try (var files = Files.walk(images)) {
            assertEquals(4, files.filter(Files::isRegularFile).count(), "no partial files left behind");
        }

        Run downloadedAgain = pacer("download", batch.toString(), "--to", images.toString());
        assertTrue(downloadedAgain.out().startsWith("downloaded 0 images to " + images + ", 4 already there"), downloadedAgain::toString);

        Run status = pacer("status", prompts.toString());
        assertEquals(Pacer.OK, status.exit(), status::toString);
        assertEquals(4, status.out().lines().count(), status::toString);
        assertTrue(status.out().lines().skip(1).allMatch(line -> line.contains("SUCCEEDED")), status::toString);
    }

    /**
     * An edit and a line chained on its result (docs/edits.md): the local file goes up once through the presigned POST
     * (the local run's stand-in for S3's POST Object), the edit runs on it, the chained line waits for it and edits its
     * image, and both images come down.
     */
    @Test
    void anEditLineAndALineChainedOnItsResultGoThroughSubmitWaitAndDownload() throws Exception {
        java.awt.image.BufferedImage shoes = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        shoes.setRGB(10, 10, 0xff0000);
        javax.imageio.ImageIO.write(shoes, "png", dir.resolve("shoes.png").toFile());
        Path prompts = Files.writeString(dir.resolve("edits.jsonl"), """
                {"name": "beach", "prompt": "the shoes on a beach", "inputs": ["shoes.png"]}
                {"name": "night", "prompt": "the same beach at night", "inputs": [{"from": "beach", "index": 0}]}
                """);

        Run submitted = pacer("submit", prompts.toString());

        assertEquals(Pacer.OK, submitted.exit(), submitted::toString);
        assertTrue(submitted.out().contains("submitted 2 of 2 prompts"), submitted::toString);
        List<BatchFile.Entry> jobs = new BatchFile(dir.resolve("edits.jsonl.pacer.jsonl")).read();
        String beach = jobs.stream().filter(e -> e.name().equals(Optional.of("beach"))).findFirst().orElseThrow().id();
        String night = jobs.stream().filter(e -> e.name().equals(Optional.of("night"))).findFirst().orElseThrow().id();
        PacerApi api = new PacerApi(localRun.apiUrl(), Optional.empty());
        JsonNode edit = api.generation(beach);
        assertEquals("image/png", edit.path("inputs").path(0).path("contentType").asText(), edit::toString);
        assertEquals(Files.size(dir.resolve("shoes.png")), edit.path("inputs").path(0).path("bytes").asLong());
        assertTrue(edit.path("inputs").path(0).has("upload"), edit::toString);
        assertEquals(beach, api.generation(night).path("inputs").path(0).path("job").asText());

        Run waited = pacer("wait", prompts.toString(), "--interval", "0.2", "--timeout", "120");
        assertEquals(Pacer.OK, waited.exit(), waited::toString);
        Path images = dir.resolve("edited");
        Run downloaded = pacer("download", prompts.toString(), "--to", images.toString());
        assertEquals(Pacer.OK, downloaded.exit(), downloaded::toString);
        assertSameBytesAsS3(images.resolve("beach/0.png"), beach, 0);
        assertSameBytesAsS3(images.resolve("night/0.png"), night, 0);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(images.resolve("beach/0.png")), Files.readAllBytes(images.resolve("night/0.png"))));

        int uploads = aws.s3().listObjectsV2(list -> list.bucket(localRun.resources().physicalId("ImagesBucket")).prefix("uploads/")).keyCount();
        Run again = pacer("submit", prompts.toString());
        assertTrue(again.out().contains("2 already submitted before, not duplicated"), again::toString);
        assertEquals(uploads, aws.s3().listObjectsV2(list -> list.bucket(localRun.resources().physicalId("ImagesBucket")).prefix("uploads/"))
                .keyCount(), "a re-run uploads nothing new");
    }

    @Test
    void aFailedJobMakesWaitExitNonZeroAndSaysWhy() throws Exception {
        Path batch = dir.resolve("one.pacer.jsonl");
        Run submitted = pacer("submit", "a fox [simulate:safety]", "--name", "blocked", "--batch", batch.toString());
        assertEquals(Pacer.OK, submitted.exit(), submitted::toString);
        assertTrue(submitted.out().matches("[0-9a-f-]+ QUEUED\\R"), submitted::toString);

        Run waited = pacer("wait", batch.toString(), "--interval", "0.2", "--timeout", "120");

        assertEquals(Pacer.FAILED, waited.exit(), waited::toString);
        assertTrue(waited.err().contains("FAILED  " + new BatchFile(batch).read().get(0).id() + " (blocked): safety_block"), waited::toString);
        Run downloaded = pacer("download", batch.toString(), "--to", dir.resolve("images").toString());
        assertTrue(downloaded.out().contains("1 job FAILED (no images)"), downloaded::toString);
        assertFalse(Files.exists(dir.resolve("images/blocked")));
    }

    @Test
    void aJobCancelledBetweenItsAttemptsEndsCancelledAndWaitCountsItWithoutFailing() throws Exception {
        Path batch = dir.resolve("flaky.pacer.jsonl");
        Run submitted = pacer("submit", "a fox [simulate:unavailable]", "--name", "flaky", "--batch", batch.toString());
        assertEquals(Pacer.OK, submitted.exit(), submitted::toString);
        String id = new BatchFile(batch).read().get(0).id();
        // its first attempt got a 503: the job is QUEUED again, its message back only after the 10 s backoff
        awaitQueuedAfterAnAttempt(id);

        Run cancelled = pacer("cancel", batch.toString());

        assertEquals(Pacer.OK, cancelled.exit(), cancelled::toString);
        assertTrue(cancelled.out().contains(id + " (flaky) CANCELLED"), cancelled::toString);
        assertTrue(cancelled.out().contains("cancelled 1 of 1 job"), cancelled::toString);
        Run waited = pacer("wait", batch.toString(), "--interval", "0.2", "--timeout", "60");
        assertEquals(Pacer.OK, waited.exit(), waited::toString);
        assertTrue(waited.out().contains("all 1 job finished: 0 succeeded, 0 failed, 1 cancelled"), waited::toString);
        Run again = pacer("cancel", id);
        assertTrue(again.out().contains(id + " CANCELLED"), "cancelling again answers the same: " + again);
    }

    @Test
    void quotaShowsTheLocalAccount() {
        Run quota = pacer("quota");

        assertEquals(Pacer.OK, quota.exit(), quota::toString);
        assertTrue(quota.out().startsWith("ACCOUNT"), quota::toString);
        assertTrue(quota.out().contains("simulated"), quota::toString);
    }

    private static void awaitQueuedAfterAnAttempt(String id) throws InterruptedException {
        PacerApi api = new PacerApi(localRun.apiUrl(), Optional.empty());
        for (int poll = 0; poll < 300; poll++) {
            JsonNode job = api.generation(id);
            if (job.path("status").asText().equals("QUEUED") && job.path("attempts").asInt() >= 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " was not released after its first attempt");
    }

    private static int jobsInDynamoDb() {
        return aws.dynamoDb().scan(scan -> scan.tableName(localRun.resources().physicalId("JobsTable"))
                .filterExpression("attribute_exists(#s)").expressionAttributeNames(Map.of("#s", "status"))).count();
    }

    private void assertSameBytesAsS3(Path file, String jobId, int index) throws Exception {
        JsonNode image = new PacerApi(localRun.apiUrl(), Optional.empty()).generation(jobId).get("images").get(index);
        byte[] stored = aws.s3().getObjectAsBytes(get -> get.bucket(localRun.resources().physicalId("ImagesBucket"))
                .key(image.get("key").asText())).asByteArray();
        assertArrayEquals(stored, Files.readAllBytes(file), file.toString());
    }

    private static Run pacer(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("PACER_URL", localRun.apiUrl().toString()), false, Clock.systemUTC());
        int exit = Pacer.run(args, cli);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
