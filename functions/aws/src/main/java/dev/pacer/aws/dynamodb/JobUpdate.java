package dev.pacer.aws.dynamodb;

import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.JobTransition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One conditional UpdateItem on a job's item, written as the {@link JobTransition} it makes. The condition comes
 * from the transition: the job's status must be one it starts from, for a takeover its lease must have run out, and
 * a request to cancel the job must be there or absent where the transition says so, and the job must be on the lane the
 * transition names, if it names one.
 * The status is set to where the transition leads; the rest is said with {@link #set}, {@link #setIfAbsent},
 * {@link #remove} and {@link #add}. Every attribute is named {@code #attribute} and every value {@code :attribute}, so no reserved word
 * ({@code status}, {@code count}) can break an expression.
 */
final class JobUpdate {

    private static final String EMPTY_LIST = ":emptyList";
    private static final String NOW = ":now";

    private final List<String> set = new ArrayList<>();
    private final List<String> remove = new ArrayList<>();
    private final List<String> add = new ArrayList<>();
    private String condition;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();

    private JobUpdate(List<JobTransition> anyOf, Instant now) {
        List<String> alternatives = new ArrayList<>();
        for (JobTransition transition : anyOf) {
            alternatives.add(condition(transition, now));
        }
        condition = alternatives.size() == 1 ? alternatives.get(0)
                : alternatives.stream().map(c -> "(" + c + ")").collect(Collectors.joining(" OR "));
        Set<JobStatus> targets = anyOf.stream().map(t -> t.to().orElse(null)).collect(Collectors.toSet());
        if (targets.size() != 1) {
            throw new IllegalArgumentException("one write leads to one status, not " + targets + ": " + anyOf);
        }
        anyOf.get(0).to().ifPresent(to -> set(JobItems.STATUS, JobItems.s(to.name())));
        // a job that ends leaves its owner's count of unfinished jobs in the same write
        anyOf.get(0).to().filter(JobStatus::isTerminal).ifPresent(to -> remove(JobItems.UNFINISHED_OWNER));
    }

    /** The write for {@code transition}, which must not depend on the time (no lease rule). */
    static JobUpdate taking(JobTransition transition) {
        if (transition.requiresExpiredLease()) {
            throw new IllegalArgumentException(transition + " looks at the lease: say when, with taking(now, ...)");
        }
        return new JobUpdate(List.of(transition), null);
    }

    /** The write for whichever of {@code anyOf} the job may take at {@code now}; they must lead to the same status. */
    static JobUpdate taking(Instant now, JobTransition... anyOf) {
        if (anyOf.length == 0) {
            throw new IllegalArgumentException("no transition");
        }
        return new JobUpdate(List.of(anyOf), Objects.requireNonNull(now, "now"));
    }

    /** The condition, and {@code #attribute = :attribute}: the move is taken only by the item holding that value too. */
    JobUpdate requiring(String attribute, AttributeValue value) {
        condition = "(" + condition + ") AND " + name(attribute) + " = " + value(":" + attribute + "Required", value);
        return this;
    }

    /** {@code SET #attribute = :attribute}. */
    JobUpdate set(String attribute, AttributeValue value) {
        set.add(name(attribute) + " = " + value(":" + attribute, value));
        return this;
    }

    /** {@code SET #attribute = if_not_exists(#attribute, :attribute)}: set only the first time. */
    JobUpdate setIfAbsent(String attribute, AttributeValue value) {
        String name = name(attribute);
        set.add(name + " = if_not_exists(" + name + ", " + value(":" + attribute, value) + ")");
        return this;
    }

    /** Appends {@code items} to the list {@code attribute}, which need not exist yet. */
    JobUpdate append(String attribute, List<AttributeValue> items) {
        String list = name(attribute);
        set.add(list + " = list_append(if_not_exists(" + list + ", " + value(EMPTY_LIST, AttributeValue.fromL(List.of())) + "), "
                + value(":" + attribute, AttributeValue.fromL(items)) + ")");
        return this;
    }

    /** {@code REMOVE #attribute}, for each. */
    JobUpdate remove(String... attributes) {
        for (String attribute : attributes) {
            remove.add(name(attribute));
        }
        return this;
    }

    /** {@code ADD #attribute :attribute}: the number goes up by {@code amount} (down, if it is negative). */
    JobUpdate add(String attribute, long amount) {
        add.add(name(attribute) + " " + value(":" + attribute, JobItems.n(amount)));
        return this;
    }

    String updateExpression() {
        List<String> clauses = new ArrayList<>();
        if (!set.isEmpty()) {
            clauses.add("SET " + String.join(", ", set));
        }
        if (!remove.isEmpty()) {
            clauses.add("REMOVE " + String.join(", ", remove));
        }
        if (!add.isEmpty()) {
            clauses.add("ADD " + String.join(", ", add));
        }
        return String.join(" ", clauses);
    }

    String conditionExpression() {
        return condition;
    }

    Map<String, String> names() {
        return Map.copyOf(names);
    }

    Map<String, AttributeValue> values() {
        return Map.copyOf(values);
    }

    /** The request for the job {@code key} in {@code tableName}; add what to return, if anything. */
    UpdateItemRequest.Builder request(String tableName, Map<String, AttributeValue> key) {
        return UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key)
                .updateExpression(updateExpression())
                .conditionExpression(conditionExpression())
                .expressionAttributeNames(names())
                .expressionAttributeValues(values());
    }

    /**
     * The condition under which a job may take {@code transition}: its status is one of the transition's from-states
     * (any status: the job need only exist), if the transition says so its lease ended before {@code now}'s
     * millisecond, as {@link dev.pacer.core.job.Job#leaseExpiredAt} counts it, and its owner's request to cancel it is
     * there, or absent, as the transition requires.
     */
    private String condition(JobTransition transition, Instant now) {
        Set<JobStatus> from = transition.from();
        String status;
        if (from.equals(EnumSet.allOf(JobStatus.class))) {
            status = "attribute_exists(" + name(JobItems.ID) + ")";
        } else if (from.size() == 1) {
            status = name(JobItems.STATUS) + " = " + statusValue(from.iterator().next());
        } else {
            status = name(JobItems.STATUS) + " IN (" + from.stream().sorted().map(this::statusValue).collect(Collectors.joining(", ")) + ")";
        }
        String cancelRequest = switch (transition.cancelRequest()) {
            case IGNORED -> "";
            case REQUIRED -> " AND attribute_exists(" + name(JobItems.CANCEL_REQUESTED_AT) + ")";
            case REFUSED -> " AND attribute_not_exists(" + name(JobItems.CANCEL_REQUESTED_AT) + ")";
        };
        // an item without a lane is a sync-lane job's, from before the batch lane
        String lane = transition.requiredLane()
                .map(required -> " AND " + name(JobItems.LANE) + " = " + value(":requiredLane", JobItems.s(required.name())))
                .orElse("");
        if (!transition.requiresExpiredLease()) {
            return status + cancelRequest + lane;
        }
        return status + " AND " + name(JobItems.LEASE_UNTIL) + " < " + value(NOW, JobItems.n(now.toEpochMilli())) + cancelRequest + lane;
    }

    private String statusValue(JobStatus status) {
        return value(":" + status.name(), JobItems.s(status.name()));
    }

    private String name(String attribute) {
        names.put("#" + attribute, attribute);
        return "#" + attribute;
    }

    /** Registers {@code value} under {@code placeholder}; one placeholder never stands for two values. */
    private String value(String placeholder, AttributeValue value) {
        AttributeValue earlier = values.putIfAbsent(placeholder, value);
        if (earlier != null && !earlier.equals(value)) {
            throw new IllegalStateException(placeholder + " stands for " + earlier + " already, not " + value);
        }
        return placeholder;
    }
}
