package dev.pacer.localrun.iam;

import java.util.List;
import java.util.Map;

/**
 * The actions SAM puts in a function's role besides its inline statements: each policy template's, as SAM's
 * {@code policy_templates.json} defines it, and each AWS managed policy's that SAM attaches (the basic execution role
 * to every function, a poller's to a function with a queue or stream event). Only these are known; a template or a
 * managed policy not listed here is an error, never an empty grant.
 */
final class SamPolicies {

    /** SAM policy templates by name: the actions of every statement in their definition. */
    private static final Map<String, List<String>> TEMPLATES = Map.ofEntries(
            Map.entry("SQSPollerPolicy", List.of("sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch",
                    "sqs:DeleteMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage")),
            Map.entry("SQSSendMessagePolicy", List.of("sqs:SendMessage*")),
            Map.entry("DynamoDBCrudPolicy", List.of("dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan",
                    "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem",
                    "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem")),
            Map.entry("DynamoDBReadPolicy", List.of("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
                    "dynamodb:DescribeTable")),
            Map.entry("DynamoDBWritePolicy", List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem")),
            Map.entry("DynamoDBStreamReadPolicy", List.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator", "dynamodb:ListStreams")),
            Map.entry("S3ReadPolicy", List.of("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion",
                    "s3:GetLifecycleConfiguration")),
            Map.entry("S3WritePolicy", List.of("s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration")),
            Map.entry("S3CrudPolicy", List.of("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion",
                    "s3:PutObject", "s3:PutObjectAcl", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration",
                    "s3:DeleteObject")),
            Map.entry("SSMParameterReadPolicy", List.of("ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter",
                    "ssm:GetParametersByPath")),
            Map.entry("AWSSecretsManagerGetSecretValuePolicy", List.of("secretsmanager:GetSecretValue")),
            Map.entry("LambdaInvokePolicy", List.of("lambda:InvokeFunction")),
            Map.entry("EventBridgePutEventsPolicy", List.of("events:PutEvents")));

    private static final List<String> LOGS = List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");

    /** AWS managed policies SAM attaches, by name (the last part of the ARN). */
    private static final Map<String, List<String>> MANAGED = Map.of(
            "AWSLambdaBasicExecutionRole", LOGS,
            "AWSLambdaSQSQueueExecutionRole", concat(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), LOGS),
            "AWSLambdaDynamoDBExecutionRole", concat(List.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator", "dynamodb:ListStreams"), LOGS),
            "AWSLambdaKinesisExecutionRole", concat(List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams",
                    "kinesis:SubscribeToShard"), LOGS));

    /** The managed policy SAM attaches for an event of this type; empty for events that need nothing in the role. */
    private static final Map<String, List<String>> EVENT_POLICIES = Map.of(
            "SQS", List.of("AWSLambdaSQSQueueExecutionRole"),
            "DynamoDB", List.of("AWSLambdaDynamoDBExecutionRole"),
            "Kinesis", List.of("AWSLambdaKinesisExecutionRole"),
            // invoked by a service through the function's resource policy: nothing in the role
            "Schedule", List.of(),
            "ScheduleV2", List.of(),
            "Api", List.of(),
            "HttpApi", List.of());

    private SamPolicies() {
    }

    static List<String> template(String name) {
        List<String> actions = TEMPLATES.get(name);
        if (actions == null) {
            throw new IllegalArgumentException("the SAM policy template " + name + " is not known to the local run: add its actions to "
                    + SamPolicies.class.getSimpleName() + " from SAM's policy_templates.json");
        }
        return actions;
    }

    /** A managed policy by name or ARN. */
    static List<String> managed(String nameOrArn) {
        String name = nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
        List<String> actions = MANAGED.get(name);
        if (actions == null) {
            throw new IllegalArgumentException("the managed policy " + nameOrArn + " is not known to the local run: add its actions to "
                    + SamPolicies.class.getSimpleName());
        }
        return actions;
    }

    /** The managed policies SAM attaches for an event of {@code type}. */
    static List<String> forEvent(String type) {
        List<String> policies = EVENT_POLICIES.get(type);
        if (policies == null) {
            throw new IllegalArgumentException("the local run does not know which policy SAM attaches for a " + type + " event");
        }
        return policies;
    }

    static final String BASIC_EXECUTION_ROLE = "AWSLambdaBasicExecutionRole";

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
