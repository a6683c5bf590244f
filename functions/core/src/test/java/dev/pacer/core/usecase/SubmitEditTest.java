package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.InputRefusedException;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.TestImages;
import dev.pacer.core.port.InMemoryInputImages;
import dev.pacer.core.upload.Upload;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference images at intake: each bad one is refused with its own problem, and nothing is stored or queued. */
class SubmitEditTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryJobs jobs = new InMemoryJobs();
    private final InMemoryJobQueue queue = new InMemoryJobQueue();
    private final InMemoryUploads uploads = new InMemoryUploads();
    private final InMemoryInputImages images = new InMemoryInputImages();
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final SubmitGeneration submit = new SubmitGeneration(new SubmissionValidator(TestCatalog.standard(), SubmissionRules.standard()),
            new SubmissionInputs(uploads, jobs, images, clock), new CallbackUrlPolicy(false), DeadlinePolicy.standard(),
            new CallerCap(jobs, CallerCap.Settings.off()), jobs, queue, new RecordedMetrics(), clock);

    private String upload(String owner, byte[] bytes) {
        String id = "u" + uploads.size();
        String key = CreateUpload.keyOf(owner, id);
        uploads.create(new Upload(id, owner, key, "image/png", bytes.length, T0, T0.plus(Duration.ofDays(7))));
        images.put(key, bytes);
        return id;
    }

    private static Submission edit(String model, List<InputRef> inputs, Optional<InputRef> mask) {
        return new Submission("put the shoes on a beach", Optional.of(model), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Optional.empty(), Optional.empty(), inputs, mask);
    }

    private InputRefusedException refused(Submission submission) {
        long storedBefore = jobs.unfinished("alice", 1_000);
        InputRefusedException refused = assertThrows(InputRefusedException.class, () -> submit.submit(submission, "alice", Optional.empty()));
        assertEquals(storedBefore, jobs.unfinished("alice", 1_000), "nothing is stored");
        assertEquals(List.of(), queue.drain(), "nothing is queued");
        return refused;
    }

    @Test
    void anEditRecordsEachInputAsItsKeyTypeAndSize() {
        String shoes = upload("alice", TestImages.png(1024, 1024, 5000));
        String beach = upload("alice", TestImages.jpeg(800, 600, 3000));

        Job job = submit.submit(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(shoes), InputRef.ofUpload(beach)), Optional.empty()),
                "alice", Optional.empty()).job();

        assertEquals(List.of(
                InputImage.upload(shoes, CreateUpload.keyOf("alice", shoes), "image/png", 5000),
                InputImage.upload(beach, CreateUpload.keyOf("alice", beach), "image/jpeg", 3000)), job.request().inputs());
        assertEquals(List.of(job.id()), queue.drain());
    }

    @Test
    void anImageOfAnEarlierSucceededJobIsAnInput() {
        JobId earlier = succeeded("alice", "generations/x/0.png", TestImages.png(1024, 1024, 2000));

        Job job = submit.submit(edit(TestCatalog.GPT_IMAGE, List.of(InputRef.ofJob(earlier.value(), 0)), Optional.empty()),
                "alice", Optional.empty()).job();

        assertEquals(List.of(InputImage.ofJob(earlier.value(), 0, "generations/x/0.png", "image/png", 2000)), job.request().inputs());
    }

    private JobId succeeded(String owner, String key, byte[] bytes) {
        Job job = Job.queued(JobId.random(), owner, new GenerationRequest("shoes", TestCatalog.FLASH, Resolution.ONE_K, "1:1", 1, Map.of()), T0);
        jobs.create(job);
        jobs.claim(job.id(), T0, T0.plusSeconds(600));
        jobs.markSucceeded(job.id(), List.of(new StoredImage(key, "image/png", bytes.length)), Optional.empty(), List.of(), T0);
        images.put(key, bytes);
        return job.id();
    }

    @Test
    void textBehindAPngNameIsRefusedByItsBytes() {
        String notAnImage = upload("alice", "<html>shoes.png</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        InputRefusedException refused = refused(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(notAnImage)), Optional.empty()));

        assertEquals(415, refused.status());
        assertEquals("inputs[0]", refused.field());
        assertTrue(refused.reason().contains("not a PNG, JPEG or WebP"), refused::getMessage);
    }

    @Test
    void moreInputsThanTheModelTakesAreRefused() {
        List<InputRef> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(InputRef.ofUpload(upload("alice", TestImages.png(64, 64, 100))));
        }

        InputRefusedException refused = refused(edit(TestCatalog.FLASH_25, four, Optional.empty()));

        assertEquals(400, refused.status());
        assertTrue(refused.reason().contains("at most 3 input images"), refused::getMessage);
    }

    @Test
    void anInputLargerThanTheModelTakesIsRefused() {
        String huge = upload("alice", TestImages.png(4096, 4096, 7 * 1024 * 1024 + 1));

        InputRefusedException refused = refused(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(huge)), Optional.empty()));

        assertEquals(413, refused.status());
    }

    @Test
    void inputsLargerTogetherThanOneRequestTakesAreRefused() {
        List<InputRef> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(InputRef.ofUpload(upload("alice", TestImages.png(4096, 4096, 7 * 1024 * 1024))));
        }

        InputRefusedException refused = refused(edit(TestCatalog.FLASH, eleven, Optional.empty()));

        assertEquals(413, refused.status());
        assertEquals("inputs", refused.field());
        assertTrue(refused.reason().contains("together"), refused::getMessage);
    }

    @Test
    void anotherCallersUploadIsAsAbsentAsAMissingOne() {
        String bobs = upload("bob", TestImages.png(64, 64, 100));

        InputRefusedException refused = refused(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(bobs)), Optional.empty()));

        assertEquals(422, refused.status());
        assertEquals("inputs[0].upload", refused.field());
        assertEquals(refused.reason().replace(bobs, "x"),
                refused(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload("nobodys")), Optional.empty())).reason().replace("nobodys", "x"));
    }

    @Test
    void anUploadWhoseFileNeverArrivedIsNotReady() {
        String id = "pending";
        uploads.create(new Upload(id, "alice", CreateUpload.keyOf("alice", id), "image/png", 100, T0, T0.plus(Duration.ofDays(7))));

        assertEquals(409, refused(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(id)), Optional.empty())).status());
    }

    @Test
    void anExpiredUploadIsRefused() {
        String id = "old";
        uploads.create(new Upload(id, "alice", CreateUpload.keyOf("alice", id), "image/png", 100, T0.minus(Duration.ofDays(8)),
                T0.minusSeconds(1)));
        images.put(CreateUpload.keyOf("alice", id), TestImages.png(8, 8, 100));

        assertEquals(422, refused(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(id)), Optional.empty())).status());
    }

    @Test
    void aJobThatHasNotSucceededIsRefused() {
        Job running = Job.queued(JobId.random(), "alice", new GenerationRequest("shoes", TestCatalog.FLASH, Resolution.ONE_K, "1:1", 1,
                Map.of()), T0);
        jobs.create(running);

        InputRefusedException refused = refused(edit(TestCatalog.FLASH, List.of(InputRef.ofJob(running.id().value(), 0)), Optional.empty()));

        assertEquals(409, refused.status());
        assertTrue(refused.reason().contains("QUEUED"), refused::getMessage);
    }

    @Test
    void anotherCallersJobAndAMissingIndexAreRefused() {
        JobId bobs = succeeded("bob", "generations/b/0.png", TestImages.png(8, 8, 100));
        assertEquals(422, refused(edit(TestCatalog.FLASH, List.of(InputRef.ofJob(bobs.value(), 0)), Optional.empty())).status());

        JobId mine = succeeded("alice", "generations/a/0.png", TestImages.png(8, 8, 100));
        InputRefusedException refused = refused(edit(TestCatalog.FLASH, List.of(InputRef.ofJob(mine.value(), 1)), Optional.empty()));
        assertEquals("inputs[0].index", refused.field());
    }

    @Test
    void aMaskOnGeminiIsRefused() {
        String shoes = upload("alice", TestImages.png(64, 64, 100));
        String mask = upload("alice", TestImages.png(64, 64, 100));

        InputRefusedException refused = refused(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(shoes)), Optional.of(InputRef.ofUpload(mask))));

        assertEquals("mask", refused.field());
        assertTrue(refused.reason().contains("takes no mask"), refused::getMessage);
    }

    @Test
    void aMaskMustBeAPngOfTheFirstInputsSize() {
        String shoes = upload("alice", TestImages.jpeg(1024, 1024, 100));
        String wrongSize = upload("alice", TestImages.png(512, 512, 100));
        String jpegMask = upload("alice", TestImages.jpeg(1024, 1024, 100));
        String mask = upload("alice", TestImages.png(1024, 1024, 100));

        assertTrue(refused(edit(TestCatalog.GPT_IMAGE, List.of(InputRef.ofUpload(shoes)), Optional.of(InputRef.ofUpload(wrongSize))))
                .reason().contains("512x512"));
        assertEquals(415, refused(edit(TestCatalog.GPT_IMAGE, List.of(InputRef.ofUpload(shoes)), Optional.of(InputRef.ofUpload(jpegMask))))
                .status());
        Job job = submit.submit(edit(TestCatalog.GPT_IMAGE, List.of(InputRef.ofUpload(shoes)), Optional.of(InputRef.ofUpload(mask))),
                "alice", Optional.empty()).job();
        assertEquals(mask, job.request().mask().orElseThrow().id());
    }

    @Test
    void aModelThatTakesNoInputsRefusesThem() {
        String shoes = upload("alice", TestImages.png(64, 64, 100));

        InputRefusedException refused = refused(edit(TestCatalog.FLASH_LITE, List.of(InputRef.ofUpload(shoes)), Optional.empty()));

        assertTrue(refused.reason().contains("takes no input images"), refused::getMessage);
    }

    @Test
    void aTypeTheModelDoesNotTakeIsRefused() {
        String webp = upload("alice", TestImages.webp(64, 64, 100));

        InputRefusedException refused = refused(edit(TestCatalog.NOVA_CANVAS, List.of(InputRef.ofUpload(webp)), Optional.empty()));

        assertEquals(415, refused.status());
        assertTrue(refused.reason().contains("takes image/png, image/jpeg"), refused::getMessage);
    }

    @Test
    void anInputNamesEitherAnUploadOrAJob() {
        assertEquals(400, refused(edit(TestCatalog.FLASH, List.of(new InputRef(Optional.of("a"), Optional.of("b"), Optional.empty())),
                Optional.empty())).status());
        assertEquals(400, refused(edit(TestCatalog.FLASH, List.of(new InputRef(Optional.empty(), Optional.empty(), Optional.empty())),
                Optional.empty())).status());
    }

    @Test
    void theSameEditWithOtherInputsIsAnotherRequestForItsIdempotencyKey() {
        String a = upload("alice", TestImages.png(64, 64, 100));
        String b = upload("alice", TestImages.png(64, 64, 100));
        var key = Optional.of(new dev.pacer.core.job.IdempotencyKey("edit-1"));
        submit.submit(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(a)), Optional.empty()), "alice", key);

        assertThrows(SubmitGeneration.IdempotencyKeyReusedException.class,
                () -> submit.submit(edit(TestCatalog.FLASH, List.of(InputRef.ofUpload(b)), Optional.empty()), "alice", key));
    }
}
