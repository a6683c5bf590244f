package dev.pacer.localrun.template;

/**
 * A resource created locally. {@code physicalId} is what {@code !Ref} yields in CloudFormation: the table name, the
 * queue URL, the bucket name.
 */
public record ProvisionedResource(String logicalId, String type, String physicalId, String arn) {
}
