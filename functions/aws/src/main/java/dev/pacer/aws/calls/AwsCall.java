package dev.pacer.aws.calls;

import java.util.Objects;

/**
 * One AWS API call a function made, as {@link AwsCallLog} writes it: which function, which service and
 * operation, how it ended ({@code ok} or the exception's simple name, e.g. a lost conditional write), and where
 * in pacer's code it was made ({@code adapter}: the first pacer frame, e.g. {@code DynamoDbJobStore.claim:108};
 * {@code useCase}: the first frame in the core's use cases or quota ledger, {@code -} when none).
 */
public record AwsCall(String function, String service, String operation, String outcome, String adapter, String useCase) {

    private static final String SEPARATOR = "\t";

    public AwsCall {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(useCase, "useCase");
    }

    /** One line of the call log: tab-separated fields in record order. */
    public String toLine() {
        return String.join(SEPARATOR, function, service, operation, outcome, adapter, useCase);
    }

    public static AwsCall parse(String line) {
        String[] f = line.split(SEPARATOR, -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("not an AWS call log line: " + line);
        }
        return new AwsCall(f[0], f[1], f[2], f[3], f[4], f[5]);
    }

    /** {@code DynamoDb PutItem} (the SDK's service name): what a reader compares. */
    public String serviceOperation() {
        return service + " " + operation;
    }
}
