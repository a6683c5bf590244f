package dev.pacer.aws.dynamodb;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
    static final String LEASE_UNTIL = "leaseUntil";
    static final String EXPIRES_AT = "expiresAt";

    static Map<String, AttributeValue> key(JobId id) {
        return Map.of(ID, s(id.value()));
    }

    static Map<String, AttributeValue> toItem(Job job, Instant expiresAt) {
        GenerationRequest request = job.request();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(job.id().value()));
        item.put(OWNER, s(job.owner()));
        item.put(STATUS, s(job.status().name()));
        item.put(PROMPT, s(request.prompt()));
        item.put(MODEL, s(request.model()));
        item.put(RESOLUTION, s(request.resolution().label()));
        item.put(ASPECT_RATIO, s(request.aspectRatio()));
        item.put(COUNT, n(request.count()));
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
                        : Map.of());
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
                optionalString(item, ERROR_TYPE).map(type -> new JobError(type, optionalString(item, ERROR_MESSAGE).orElse(""))));
    }

    static AttributeValue images(List<StoredImage> images) {
        return AttributeValue.fromL(images.stream()
                .map(image -> AttributeValue.fromM(Map.of(
                        "key", s(image.key()),
                        "contentType", s(image.contentType()),
                        "bytes", n(image.bytes()))))
                .toList());
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
