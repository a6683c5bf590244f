package dev.pacer.aws.dynamodb;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.job.QuotaWaits;
import dev.pacer.core.job.RequestFingerprint;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The mapping between a {@link Job} and its DynamoDB item. One item per job, key {@code id}. */
final class JobItems {

    static final String ID = "id";
    static final String OWNER = "owner";
    static final String STATUS = "status";
    static final String PROMPT = "prompt";
    static final String MODEL = "model";
    static final String RESOLUTION = "resolution";
    static final String ASPECT_RATIO = "aspectRatio";
    static final String COUNT = "count";
    static final String METADATA = "metadata";
    static final String CREATED_AT = "createdAt";
    static final String STARTED_AT = "startedAt";
    static final String FINISHED_AT = "finishedAt";
    static final String ATTEMPTS = "attempts";
    static final String ACCOUNT = "account";
    static final String IMAGES = "images";
    static final String ERROR_TYPE = "errorType";
    static final String ERROR_MESSAGE = "errorMessage";
    /** Until when the attempt that claimed the job holds it, in epoch milliseconds. */
    static final String LEASE_UNTIL = "leaseUntil";
    /** Until when a job WAITING_FOR_QUOTA waits, for whoever looks at the table; the job store does not read it. */
    static final String WAITING_UNTIL = "waitingUntil";
    static final String EXPIRES_AT = "expiresAt";
    static final String ATTEMPT_LOG = "attemptLog";
    /** Key of the sparse recentSuccesses index: {@code model#resolution} from creation, {@link #SUCCEEDED_AT} on success. */
    static final String MODEL_RESOLUTION = "modelResolution";
    static final String SUCCEEDED_AT = "succeededAt";
    static final String RECENT_SUCCESSES_INDEX = "recentSuccesses";
    static final String CALLBACK = "callback";
    /** Until when the job may wait for quota, as its caller asked. */
    static final String DEADLINE = "deadline";
    /** How many times the job waited for quota, and when it first and last did: a wait appends nothing to the log. */
    static final String QUOTA_WAITS = "quotaWaits";
    static final String FIRST_QUOTA_WAIT_AT = "firstQuotaWaitAt";
    static final String LAST_QUOTA_WAIT_AT = "lastQuotaWaitAt";
    /**
     * The owner's hash on a job that has not finished, the key of the sparse {@link #UNFINISHED_BY_OWNER_INDEX}: set
     * when the job is created, removed by the write that ends it.
     */
    static final String UNFINISHED_OWNER = "unfinishedOwner";
    static final String UNFINISHED_BY_OWNER_INDEX = "unfinishedByOwner";
    /** When the owner asked to cancel the job while it ran (ISO-8601); absent when nobody did. */
    static final String CANCEL_REQUESTED_AT = "cancelRequestedAt";
    /** The job's lane ({@code SYNC}, {@code BATCH}) and why; both absent on a job of the default sync lane. */
    static final String LANE = "lane";
    static final String LANE_REASON = "laneReason";
    /** The batch record a batch-lane job was put in last. */
    static final String BATCH_ID = "batchId";
    /**
     * The model of a job waiting on the batch lane (QUEUED, lane batch), the key of the sparse {@link #BATCH_WAITING_INDEX}
     * (sorted by {@link #CREATED_AT}): set when it starts waiting, removed by the write that takes it out of waiting.
     */
    static final String BATCH_WAITING = "batchWaiting";
    static final String BATCH_WAITING_INDEX = "batchWaiting";
    /**
     * What {@link #BATCH_WAITING} holds, before the model, for a job moved from the batch lane to the sync lane whose queue
     * message is not yet known to be sent: the same sparse index lists it under a key of its own, apart from the jobs
     * waiting for a batch, until the collector says the message went. No model id starts with it.
     */
    static final String MOVED_TO_SYNC_LANE = "movedToSyncLane#";
    /** An edit's reference images and mask: S3 keys with the type and size intake found, never the bytes. */
    static final String INPUTS = "inputs";
    static final String MASK = "mask";

    static Map<String, AttributeValue> key(JobId id) {
        return Map.of(ID, s(id.value()));
    }

    /** Hashed: an owner (an IAM ARN) may be long, and the index needs it only to group by. */
    static String unfinishedOwner(String owner) {
        return RequestFingerprint.sha256(owner);
    }

    static String modelResolution(String model, Resolution resolution) {
        return model + "#" + resolution.label();
    }

    static Map<String, AttributeValue> toItem(Job job, Instant expiresAt) {
        GenerationRequest request = job.request();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(job.id().value()));
        item.put(OWNER, s(job.owner()));
        if (!job.status().isTerminal()) {
            item.put(UNFINISHED_OWNER, s(unfinishedOwner(job.owner())));
        }
        item.put(STATUS, s(job.status().name()));
        item.put(PROMPT, s(request.prompt()));
        item.put(MODEL, s(request.model()));
        item.put(RESOLUTION, s(request.resolution().label()));
        item.put(MODEL_RESOLUTION, s(modelResolution(request.model(), request.resolution())));
        item.put(ASPECT_RATIO, s(request.aspectRatio()));
        item.put(COUNT, n(request.count()));
        if (request.isEdit()) {
            item.put(INPUTS, AttributeValue.fromL(request.inputs().stream().map(JobItems::input).toList()));
            request.mask().ifPresent(mask -> item.put(MASK, input(mask)));
        }
        if (!request.metadata().isEmpty()) {
            item.put(METADATA, AttributeValue.fromM(request.metadata().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> s(e.getValue())))));
        }
        item.put(CREATED_AT, s(job.createdAt().toString()));
        job.startedAt().ifPresent(t -> item.put(STARTED_AT, s(t.toString())));
        job.finishedAt().ifPresent(t -> item.put(FINISHED_AT, s(t.toString())));
        item.put(ATTEMPTS, n(job.attempts()));
        job.account().ifPresent(a -> item.put(ACCOUNT, s(a)));
        if (!job.images().isEmpty()) {
            item.put(IMAGES, images(job.images()));
        }
        job.error().ifPresent(e -> {
            item.put(ERROR_TYPE, s(e.type()));
            item.put(ERROR_MESSAGE, s(e.message()));
        });
        if (!job.attemptLog().isEmpty()) {
            item.put(ATTEMPT_LOG, AttributeValue.fromL(job.attemptLog().stream().map(JobItems::attempt).toList()));
        }
        job.callback().ifPresent(c -> item.put(CALLBACK, callback(c)));
        job.leaseUntil().ifPresent(t -> item.put(LEASE_UNTIL, n(t.toEpochMilli())));
        job.deadline().ifPresent(t -> item.put(DEADLINE, s(t.toString())));
        job.quotaWaits().ifPresent(waits -> {
            item.put(QUOTA_WAITS, n(waits.count()));
            item.put(FIRST_QUOTA_WAIT_AT, s(waits.firstAt().toString()));
            item.put(LAST_QUOTA_WAIT_AT, s(waits.lastAt().toString()));
        });
        job.cancelRequestedAt().ifPresent(t -> item.put(CANCEL_REQUESTED_AT, s(t.toString())));
        if (!job.lane().equals(LaneChoice.SYNC_BY_DEFAULT)) {
            item.put(LANE, s(job.lane().lane().name()));
            item.put(LANE_REASON, s(job.lane().reason()));
        }
        job.batchId().ifPresent(id -> item.put(BATCH_ID, s(id)));
        if (job.waitsForBatch()) {
            item.put(BATCH_WAITING, s(request.model()));
        }
        item.put(EXPIRES_AT, n(expiresAt.getEpochSecond()));
        return item;
    }

    static Job toJob(Map<String, AttributeValue> item) {
        GenerationRequest request = new GenerationRequest(
                item.get(PROMPT).s(),
                item.get(MODEL).s(),
                Resolution.fromLabel(item.get(RESOLUTION).s()).orElseThrow(),
                item.get(ASPECT_RATIO).s(),
                Integer.parseInt(item.get(COUNT).n()),
                item.containsKey(METADATA)
                        ? item.get(METADATA).m().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().s()))
                        : Map.of(),
                item.containsKey(INPUTS) ? item.get(INPUTS).l().stream().map(JobItems::toInput).toList() : List.of(),
                Optional.ofNullable(item.get(MASK)).map(JobItems::toInput));
        return new Job(
                new JobId(item.get(ID).s()),
                item.get(OWNER).s(),
                JobStatus.valueOf(item.get(STATUS).s()),
                request,
                Instant.parse(item.get(CREATED_AT).s()),
                optionalString(item, STARTED_AT).map(Instant::parse),
                optionalString(item, FINISHED_AT).map(Instant::parse),
                Integer.parseInt(item.get(ATTEMPTS).n()),
                optionalString(item, ACCOUNT),
                item.containsKey(IMAGES) ? item.get(IMAGES).l().stream().map(JobItems::toImage).toList() : List.of(),
                optionalString(item, ERROR_TYPE).map(type -> new JobError(type, optionalString(item, ERROR_MESSAGE).orElse(""))),
                item.containsKey(ATTEMPT_LOG) ? item.get(ATTEMPT_LOG).l().stream().map(JobItems::toAttempt).toList() : List.of(),
                Optional.ofNullable(item.get(CALLBACK)).map(JobItems::toCallback),
                Optional.ofNullable(item.get(LEASE_UNTIL)).map(v -> Instant.ofEpochMilli(Long.parseLong(v.n()))),
                optionalString(item, DEADLINE).map(Instant::parse),
                Optional.ofNullable(item.get(QUOTA_WAITS)).map(count -> new QuotaWaits(Integer.parseInt(count.n()),
                        Instant.parse(item.get(FIRST_QUOTA_WAIT_AT).s()), Instant.parse(item.get(LAST_QUOTA_WAIT_AT).s()))),
                optionalString(item, CANCEL_REQUESTED_AT).map(Instant::parse),
                optionalString(item, LANE).map(lane -> new LaneChoice(Lane.valueOf(lane), optionalString(item, LANE_REASON).orElse("")))
                        .orElse(LaneChoice.SYNC_BY_DEFAULT),
                optionalString(item, BATCH_ID));
    }

    static AttributeValue input(InputImage image) {
        return AttributeValue.fromM(Map.of(
                "source", s(image.source().name()),
                "id", s(image.id()),
                "index", n(image.index()),
                "key", s(image.key()),
                "contentType", s(image.contentType()),
                "bytes", n(image.bytes())));
    }

    static InputImage toInput(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        return new InputImage(InputImage.Source.valueOf(m.get("source").s()), m.get("id").s(), Integer.parseInt(m.get("index").n()),
                m.get("key").s(), m.get("contentType").s(), Long.parseLong(m.get("bytes").n()));
    }

    /** The callback URL and how its delivery went, as the item's {@code callback} map. */
    static AttributeValue callback(Callback callback) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("url", s(callback.url().toString()));
        m.put("attempts", n(callback.attempts()));
        callback.lastStatus().ifPresent(status -> m.put("lastStatus", n(status)));
        callback.lastError().ifPresent(error -> m.put("lastError", s(error)));
        callback.lastAttemptAt().ifPresent(t -> m.put("lastAttemptAt", s(t.toString())));
        callback.deliveredAt().ifPresent(t -> m.put("deliveredAt", s(t.toString())));
        callback.gaveUpAt().ifPresent(t -> m.put("gaveUpAt", s(t.toString())));
        return AttributeValue.fromM(m);
    }

    private static Callback toCallback(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        return new Callback(
                URI.create(m.get("url").s()),
                Integer.parseInt(m.get("attempts").n()),
                Optional.ofNullable(m.get("lastStatus")).map(v -> Integer.parseInt(v.n())),
                optionalString(m, "lastError"),
                optionalString(m, "lastAttemptAt").map(Instant::parse),
                optionalString(m, "deliveredAt").map(Instant::parse),
                optionalString(m, "gaveUpAt").map(Instant::parse));
    }

    static AttributeValue images(List<StoredImage> images) {
        return AttributeValue.fromL(images.stream()
                .map(image -> AttributeValue.fromM(Map.of(
                        "key", s(image.key()),
                        "contentType", s(image.contentType()),
                        "bytes", n(image.bytes()))))
                .toList());
    }

    /** One provider call as a map in the item's {@code attemptLog} list. */
    static AttributeValue attempt(Attempt attempt) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("number", n(attempt.number()));
        m.put("provider", s(attempt.provider()));
        m.put("account", s(attempt.account()));
        m.put("model", s(attempt.model()));
        m.put("startedAt", s(attempt.startedAt().toString()));
        m.put("latencyMillis", n(attempt.latency().toMillis()));
        m.put("outcome", s(attempt.outcome().name()));
        attempt.errorType().ifPresent(type -> m.put("errorType", s(type)));
        m.put("images", n(attempt.images()));
        m.put("inputTokens", n(attempt.usage().inputTokens()));
        m.put("outputTokens", n(attempt.usage().outputTokens()));
        m.put("totalTokens", n(attempt.usage().totalTokens()));
        m.put("estimatedCostUsd", AttributeValue.fromN(attempt.estimatedCostUsd().toPlainString()));
        return AttributeValue.fromM(m);
    }

    private static Attempt toAttempt(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        return new Attempt(
                Integer.parseInt(m.get("number").n()),
                m.get("provider").s(),
                m.get("account").s(),
                m.get("model").s(),
                Instant.parse(m.get("startedAt").s()),
                Duration.ofMillis(Long.parseLong(m.get("latencyMillis").n())),
                Attempt.Outcome.valueOf(m.get("outcome").s()),
                Optional.ofNullable(m.get("errorType")).map(AttributeValue::s),
                Integer.parseInt(m.get("images").n()),
                new Usage(Long.parseLong(m.get("inputTokens").n()), Long.parseLong(m.get("outputTokens").n()),
                        Long.parseLong(m.get("totalTokens").n())),
                new BigDecimal(m.get("estimatedCostUsd").n()));
    }

    private static StoredImage toImage(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        return new StoredImage(m.get("key").s(), m.get("contentType").s(), Long.parseLong(m.get("bytes").n()));
    }

    private static Optional<String> optionalString(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private JobItems() {
    }
}
