package dev.pacer.worker;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.port.AccountSelector;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderAccount;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.core.usecase.RetryPolicy;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.RoutingImageProvider;
import dev.pacer.providers.bedrock.BedrockClients;
import dev.pacer.providers.bedrock.NovaCanvasImageProvider;
import dev.pacer.providers.gemini.GeminiImageProvider;
import dev.pacer.providers.openai.OpenAiImageProvider;
import dev.pacer.providers.simulated.SimulatedImageProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The one place where the worker's use case meets its adapters. */
@ApplicationScoped
public class WorkerWiring {

    private static final Logger LOG = Logger.getLogger(WorkerWiring.class);

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    JobStore jobStore(DynamoDbClient dynamoDb, WorkerConfig config) {
        return new DynamoDbJobStore(dynamoDb, config.jobsTable(), Duration.ofDays(config.jobRetentionDays()));
    }

    @Produces
    @ApplicationScoped
    ProcessGeneration processGeneration(JobStore jobs, S3Client s3, S3Presigner presigner, WorkerConfig config, Clock clock) {
        Map<String, ProviderAccount> accounts = configuredAccounts(config);
        Map<String, ImageProvider> adapters = adapters(config, accounts);
        ModelCatalog catalog = ModelCatalog.standard();
        AccountSelector selector = request -> {
            String provider = catalog.find(request.model()).orElseThrow().provider();
            ProviderAccount account = accounts.get(provider);
            if (account != null) {
                return account;
            }
            // auto: no key, no real call. real: the router refuses a provider it has no adapter for.
            return config.provider() == WorkerConfig.ProviderMode.REAL
                    ? new ProviderAccount("unconfigured", provider, URI.create("unconfigured:" + provider), "")
                    : SimulatedImageProvider.ACCOUNT;
        };
        LOG.infof("provider mode %s; real accounts: %s", config.provider(), accounts.values());
        return new ProcessGeneration(
                jobs,
                selector,
                new RoutingImageProvider(adapters),
                new S3ImageStore(s3, presigner, config.imagesBucket()),
                new RetryPolicy(config.maxAttempts(), config.attemptLease(), config.ambiguousRetries()),
                PriceTable.parse(config.prices()),
                clock);
    }

    /** One account per provider whose key (for Bedrock: region) is configured, unless the mode is simulated. */
    static Map<String, ProviderAccount> configuredAccounts(WorkerConfig config) {
        Map<String, ProviderAccount> accounts = new HashMap<>();
        if (config.provider() == WorkerConfig.ProviderMode.SIMULATED) {
            return accounts;
        }
        config.gemini().apiKey().filter(key -> !key.isBlank()).ifPresent(key -> accounts.put("gemini",
                new ProviderAccount(config.gemini().account(), "gemini", config.gemini().baseUrl(), key)));
        config.openai().apiKey().filter(key -> !key.isBlank()).ifPresent(key -> accounts.put("openai",
                new ProviderAccount(config.openai().account(), "openai", config.openai().baseUrl(), key)));
        config.bedrock().region().filter(region -> !region.isBlank()).ifPresent(region -> accounts.put("bedrock",
                new ProviderAccount(config.bedrock().account(), "bedrock", config.bedrock().baseUrl()
                        .orElse(URI.create("https://bedrock-runtime." + region + ".amazonaws.com")), "")));
        return accounts;
    }

    private static Map<String, ImageProvider> adapters(WorkerConfig config, Map<String, ProviderAccount> accounts) {
        ProviderTimeouts timeouts = ProviderTimeouts.of(config.timeouts().connect(), config.timeouts().upTo2k(), config.timeouts().fourK());
        Map<String, ImageProvider> adapters = new HashMap<>();
        adapters.put("simulated", new SimulatedImageProvider(config.simulated().latencyFactor(), config.simulated().maxLongSide()));
        if (accounts.containsKey("gemini")) {
            adapters.put("gemini", new GeminiImageProvider(timeouts));
        }
        if (accounts.containsKey("openai")) {
            adapters.put("openai", new OpenAiImageProvider(timeouts, config.openai().quality(), config.openai().outputFormat()));
        }
        if (accounts.containsKey("bedrock")) {
            Region region = Region.of(config.bedrock().region().orElseThrow());
            adapters.put("bedrock", new NovaCanvasImageProvider(
                    account -> BedrockClients.forAccount(account, region, timeouts), timeouts, config.bedrock().quality()));
        }
        return adapters;
    }
}
