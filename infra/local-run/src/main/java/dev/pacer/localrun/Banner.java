package dev.pacer.localrun;

import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.template.ProvisionedResource;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;

/** What the developer needs once pacer is up locally: where things are and commands to copy. */
final class Banner {

    private Banner() {
    }

    static String text(LocalRun localRun) {
        ProvisionedResources r = localRun.resources();
        String aws = "aws --endpoint-url " + localRun.motoEndpoint() + " --region " + AwsClients.REGION;
        StringBuilder text = new StringBuilder();
        text.append("\npacer local run ready in ").append(localRun.startupTime().toMillis()).append(" ms\n");
        text.append("  HTTP API  ").append(localRun.apiUrl()).append('\n');
        text.append("  moto      ").append(localRun.motoEndpoint()).append("  (credentials test/test)\n");
        r.byLogicalId().values().stream()
                .sorted(java.util.Comparator.comparing(ProvisionedResource::logicalId))
                .forEach(resource -> text.append("  ").append(String.format("%-20s", resource.logicalId()))
                        .append(resource.physicalId()).append('\n'));
        text.append("\nTry:\n");
        text.append("  curl -s -X POST ").append(localRun.apiUrl()).append("/v1/generations -H 'content-type: application/json' -d '{\"prompt\":\"a red fox\"}'\n");
        text.append("  curl -s ").append(localRun.apiUrl()).append("/v1/generations/<id>\n");
        for (ProvisionedResource resource : r.byLogicalId().values()) {
            switch (resource.type()) {
                case TemplateProvisioner.TABLE -> text.append("  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test ").append(aws)
                        .append(" dynamodb scan --table-name ").append(resource.physicalId()).append('\n');
                case TemplateProvisioner.BUCKET -> text.append("  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test ").append(aws)
                        .append(" s3 ls s3://").append(resource.physicalId()).append("/generations/ --recursive\n");
                case TemplateProvisioner.QUEUE -> text.append("  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test ").append(aws)
                        .append(" sqs get-queue-attributes --attribute-names All --queue-url ").append(resource.physicalId()).append('\n');
                default -> {
                }
            }
        }
        text.append("\nCtrl-C stops everything.\n");
        return text.toString();
    }
}
