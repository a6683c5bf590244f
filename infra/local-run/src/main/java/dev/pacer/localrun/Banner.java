package dev.pacer.localrun;

import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.template.ProvisionedResource;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the developer needs once pacer is up locally: where things are and commands to copy. */
final class Banner {

    /**
     * The resources a first job goes through. One hint per kind of resource is enough, since the same command works
     * for every other resource of that kind listed above.
     */
    private static final List<String> EXAMPLE_RESOURCES = List.of("JobsTable", "ImagesBucket", "JobsQueue");

    private Banner() {
    }

    static String text(LocalRun localRun) {
        return text(localRun.apiUrl(), localRun.motoEndpoint(), localRun.adminKey(), localRun.resources(), localRun.startupTime());
    }

    static String text(URI apiUrl, URI motoEndpoint, AccessKey admin, ProvisionedResources resources, Duration startupTime) {
        List<ProvisionedResource> byName = resources.byLogicalId().values().stream()
                .sorted(Comparator.comparing(ProvisionedResource::logicalId)).toList();
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("HTTP API", apiUrl.toString());
        rows.put("moto", motoEndpoint + "  (IAM enforced: each function has its role's actions; admin key " + admin.accessKeyId() + ")");
        byName.forEach(resource -> rows.put(resource.logicalId(), resource.physicalId()));
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);

        StringBuilder text = new StringBuilder();
        text.append("\npacer local run ready in ").append(startupTime.toMillis()).append(" ms\n");
        rows.forEach((name, value) -> text.append("  ").append(pad(name, width)).append("  ").append(value).append('\n'));

        String aws = admin.asEnvironment() + " aws --endpoint-url " + motoEndpoint + " --region " + AwsClients.REGION;
        text.append("\nTry:\n");
        text.append("  curl -s -X POST ").append(apiUrl).append("/v1/generations -H 'content-type: application/json' -d '{\"prompt\":\"a red fox\"}'\n");
        text.append("  curl -s ").append(apiUrl).append("/v1/generations/<id>\n");
        example(byName, TemplateProvisioner.TABLE).ifPresent(table -> text.append("  ").append(aws)
                .append(" dynamodb scan --table-name ").append(table.physicalId()).append('\n'));
        example(byName, TemplateProvisioner.BUCKET).ifPresent(bucket -> text.append("  ").append(aws)
                .append(" s3 ls s3://").append(bucket.physicalId()).append("/generations/ --recursive\n"));
        example(byName, TemplateProvisioner.QUEUE).ifPresent(queue -> text.append("  ").append(aws)
                .append(" sqs get-queue-attributes --attribute-names All --queue-url ").append(queue.physicalId()).append('\n'));
        text.append("\nCtrl-C stops everything.\n");
        return text.toString();
    }

    /** The resource of this type a first job goes through, else the first of the type by name. */
    private static Optional<ProvisionedResource> example(List<ProvisionedResource> byName, String type) {
        List<ProvisionedResource> ofType = byName.stream().filter(resource -> type.equals(resource.type())).toList();
        return ofType.stream().filter(resource -> EXAMPLE_RESOURCES.contains(resource.logicalId())).findFirst()
                .or(() -> ofType.stream().findFirst());
    }

    private static String pad(String name, int width) {
        return name + " ".repeat(width - name.length());
    }
}
