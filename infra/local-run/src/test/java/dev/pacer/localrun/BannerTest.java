package dev.pacer.localrun;

import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.ProvisionedResource;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BannerTest {

    private static final URI API = URI.create("http://localhost:8080");
    private static final URI MOTO = URI.create("http://127.0.0.1:5000");
    private static final AccessKey ADMIN = new AccessKey("AKIAADMINEXAMPLE", "admin/secret+example");

    /** What the provisioner would create for this checkout's template.yaml, with the names it would give. */
    private final ProvisionedResources resources = resourcesOfTheTemplate();
    private final String banner = Banner.text(API, MOTO, ADMIN, resources, Duration.ofMillis(1234));

    @Test
    void namesTheResourcesInOneColumnAndTheirValuesInTheNext() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("HTTP API", API.toString());
        rows.put("moto", MOTO.toString());
        resources.byLogicalId().values().forEach(r -> rows.put(r.logicalId(), r.physicalId()));
        int longestName = rows.keySet().stream().mapToInt(String::length).max().orElseThrow();

        Set<Integer> valueColumns = new TreeSet<>();
        rows.forEach((name, value) -> {
            List<String> lines = banner.lines().filter(line -> line.startsWith("  " + name + " ")).toList();
            assertEquals(1, lines.size(), () -> "one line for " + name + " in\n" + banner);
            String line = lines.get(0);
            int column = line.indexOf(value);
            assertTrue(column > 0, () -> name + "'s line has no " + value + ":\n" + line);
            assertEquals(name, line.substring(0, column).strip(), () -> "only the name before the value:\n" + line);
            valueColumns.add(column);
        });
        assertEquals(Set.of(2 + longestName + 2), valueColumns,
                () -> "every value two spaces after the longest name, in one column:\n" + banner);
    }

    @Test
    void printsEachHintOnce() {
        List<String> hints = banner.lines().dropWhile(line -> !line.equals("Try:")).skip(1)
                .takeWhile(line -> !line.isBlank()).toList();
        List<String> commands = List.of("curl -s -X POST ", "curl -s http", " dynamodb scan ", " s3 ls ", " sqs get-queue-attributes ");
        for (String command : commands) {
            assertEquals(1, hints.stream().filter(hint -> hint.contains(command)).count(),
                    () -> "\"" + command.strip() + "\" once in\n" + banner);
        }
        assertEquals(commands.size(), hints.size(), () -> "no other hints than " + commands + " in\n" + banner);
    }

    @Test
    void theAwsHintsNameResourcesListedAbove() {
        List<String> awsHints = banner.lines().filter(line -> line.contains(" aws --endpoint-url " + MOTO + " ")).toList();
        assertEquals(3, awsHints.size(), () -> "a table, a bucket and a queue hint in\n" + banner);
        for (String hint : awsHints) {
            assertTrue(resources.byLogicalId().values().stream().anyMatch(r -> hint.contains(r.physicalId())),
                    () -> "a real resource, pasteable as it is:\n" + hint);
        }
    }

    @Test
    void theAwsHintsSignWithTheAdminKeySinceMotoEnforcesIam() {
        List<String> awsHints = banner.lines().filter(line -> line.contains(" aws --endpoint-url ")).toList();
        assertEquals(3, awsHints.size(), banner);
        for (String hint : awsHints) {
            assertTrue(hint.strip().startsWith("AWS_ACCESS_KEY_ID=AKIAADMINEXAMPLE AWS_SECRET_ACCESS_KEY=admin/secret+example aws "),
                    () -> "pasteable with the admin's key:\n" + hint);
        }
        assertTrue(banner.contains("admin key AKIAADMINEXAMPLE"), banner);
    }

    private static ProvisionedResources resourcesOfTheTemplate() {
        Map<String, ProvisionedResource> byLogicalId = new LinkedHashMap<>();
        CloudFormationTemplate.load().resources().values().forEach(resource -> {
            String name = TemplateProvisioner.DEFAULT_PREFIX + resource.logicalId();
            String id = resource.logicalId();
            switch (resource.type()) {
                case TemplateProvisioner.TABLE -> byLogicalId.put(id, new ProvisionedResource(id, TemplateProvisioner.TABLE, name,
                        "arn:aws:dynamodb:us-east-1:" + MotoServer.ACCOUNT_ID + ":table/" + name));
                case TemplateProvisioner.QUEUE -> byLogicalId.put(id, new ProvisionedResource(id, TemplateProvisioner.QUEUE,
                        MOTO + "/" + MotoServer.ACCOUNT_ID + "/" + name, "arn:aws:sqs:us-east-1:" + MotoServer.ACCOUNT_ID + ":" + name));
                case TemplateProvisioner.BUCKET -> byLogicalId.put(id, new ProvisionedResource(id, TemplateProvisioner.BUCKET,
                        name.toLowerCase(Locale.ROOT), "arn:aws:s3:::" + name.toLowerCase(Locale.ROOT)));
                default -> {
                }
            }
        });
        return new ProvisionedResources(MOTO, byLogicalId);
    }
}
