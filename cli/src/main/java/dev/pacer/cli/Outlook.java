package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the server says about the road ahead of a batch: /v1/capacity per model and resolution (latency, quota
 * ceiling, workers) for the ETA, /v1/quota for the headroom right now. Both are optional extras: an older server
 * or a refusal leaves them out, never stops the wait.
 */
final class Outlook {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** A model and resolution jobs of the batch use. */
    record Group(String model, String resolution) {
    }

    private final Map<Group, Optional<JsonNode>> capacity = new LinkedHashMap<>();

    /** Asks /v1/capacity once per group; returns the warnings it gave (daily quota running out and the like). */
    List<String> learnCapacity(PacerApi api, Set<Group> groups) {
        List<String> warnings = new ArrayList<>();
        for (Group group : groups) {
            if (capacity.containsKey(group)) {
                continue;
            }
            Optional<JsonNode> answer;
            try {
                answer = api.capacity(group.model(), group.resolution(), Optional.empty());
            } catch (ApiProblem | UncheckedIOException e) {
                answer = Optional.empty();
            }
            capacity.put(group, answer);
            answer.ifPresent(plan -> plan.path("warnings")
                    .forEach(warning -> warnings.add(group.model() + " " + group.resolution() + ": " + warning.asText())));
        }
        return warnings;
    }

    Eta.Group etaGroup(Group group, int remainingJobs, int remainingImages) {
        Optional<JsonNode> plan = capacity.getOrDefault(group, Optional.empty());
        return new Eta.Group(remainingJobs, remainingImages,
                plan.flatMap(p -> number(p.path("ceiling").path("imagesPerMinute"))),
                plan.flatMap(p -> number(p.path("latencySeconds"))),
                plan.flatMap(p -> number(p.path("sqsMaximumConcurrency"))).map(Double::intValue));
    }

    private static Optional<Double> number(JsonNode node) {
        return node.isNumber() ? Optional.of(node.asDouble()) : Optional.empty();
    }

    /**
     * "quota 14 img/min free" over the accounts serving the batch's models, or when they all cool down, until when;
     * and a warning when the provider day has fewer requests left than jobs remain.
     */
    static List<String> quotaNotes(JsonNode quota, Set<String> models, int remainingJobs, Instant now) {
        List<String> notes = new ArrayList<>();
        int freeImagesPerMinute = 0;
        int requestsLeftToday = 0;
        boolean dayUnlimited = false;
        int serving = 0;
        Optional<Instant> coolingUntil = Optional.empty();
        Optional<Instant> dayResets = Optional.empty();
        for (JsonNode account : quota.path("accounts")) {
            if (!models.contains(account.path("model").asText())) {
                continue;
            }
            serving++;
            JsonNode limits = limitsOf(account);
            JsonNode used = account.path("used");
            // a limit nobody declared, stated or learned is null: it bounds nothing
            if (limits.path("rpd").isNumber()) {
                requestsLeftToday += Math.max(0, limits.path("rpd").asInt() - used.path("requestsToday").asInt());
            } else {
                dayUnlimited = true;
            }
            Optional<Instant> resets = instant(used.path("providerDayResetsAt"));
            if (resets.isPresent()) {
                dayResets = resets;
            }
            Optional<Instant> until = instant(account.path("coolingDownUntil")).filter(now::isBefore);
            if (until.isPresent()) {
                coolingUntil = coolingUntil.filter(u -> u.isBefore(until.get())).or(() -> until);
                continue;
            }
            JsonNode perMinute = limits.path("ipm").isNumber() ? limits.path("ipm") : limits.path("rpm");
            freeImagesPerMinute += Math.max(0, perMinute.asInt() - used.path("imagesLastMinute").asInt());
        }
        if (serving == 0) {
            return notes;
        }
        if (coolingUntil.isPresent() && freeImagesPerMinute == 0) {
            notes.add("quota cooling down until " + CLOCK.format(coolingUntil.get()));
        } else {
            notes.add("quota " + freeImagesPerMinute + " img/min free" + (coolingUntil.isPresent() ? " (some accounts cooling down)" : ""));
        }
        if (!dayUnlimited && remainingJobs > requestsLeftToday) {
            notes.add("only " + requestsLeftToday + " requests left today"
                    + dayResets.map(reset -> ", resets " + CLOCK.format(reset)).orElse(""));
        }
        return notes;
    }

    /** The limits the ledger applies (after the safety margin), or the configured ones from an older server. */
    static JsonNode limitsOf(JsonNode account) {
        return account.path("appliedLimits").isObject() ? account.path("appliedLimits") : account.path("limits");
    }

    private static Optional<Instant> instant(JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(node.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
