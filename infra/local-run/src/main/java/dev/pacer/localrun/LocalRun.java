package dev.pacer.localrun;

import dev.pacer.localrun.events.ScheduledInvocations;
import dev.pacer.localrun.events.SqsEventSourceMapping;
import dev.pacer.localrun.httpapi.HttpApiGateway;
import dev.pacer.localrun.httpapi.HttpApiRoute;
import dev.pacer.localrun.iam.LocalIdentities;
import dev.pacer.localrun.lambda.FunctionDefinition;
import dev.pacer.localrun.lambda.FunctionEnvironment;
import dev.pacer.localrun.lambda.LocalFunction;
import dev.pacer.localrun.lambda.PackagedFunction;
import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.s3.PostObjectEndpoint;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.ProvisionedResource;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import dev.pacer.localrun.template.TemplateResource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The whole of pacer on one machine: moto with the template's tables, queues and bucket, the intake function behind
 * the HTTP API, the worker fed by the SQS event source mapping. Both functions run from their packaged function.zip.
 * moto enforces IAM: each function signs with the key of an IAM user allowed what its role in the template allows,
 * and everything else (the event sources, the developer, the tests) with an admin's. Closing it stops every process
 * it started.
 */
public final class LocalRun implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "local-run-shutdown");
    private MotoServer moto;
    private ProvisionedResources resources;
    private LocalIdentities identities;
    private HttpApiGateway gateway;
    private PostObjectEndpoint uploads;
    private Duration startupTime;
    private final Map<String, LocalFunction> functionsById = new java.util.concurrent.ConcurrentHashMap<>();

    private LocalRun() {
    }

    public static LocalRun start(LocalRunOptions options) {
        LocalRun localRun = new LocalRun();
        try {
            localRun.boot(options);
            return localRun;
        } catch (RuntimeException e) {
            localRun.close();
            throw e;
        }
    }

    private void boot(LocalRunOptions options) {
        Instant begin = Instant.now();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        CloudFormationTemplate template = CloudFormationTemplate.load();
        moto = MotoServer.start();
        started.push(moto);
        resources = TemplateProvisioner.provision(template, moto.endpoint(), options.resourcePrefix());
        // IAM users are made with moto's default credentials, so before enforcement; from then on only their keys work
        identities = LocalIdentities.create(template, moto.endpoint(), options.resourcePrefix());
        moto.enforceIam();
        // S3's POST Object, which moto cannot serve with IAM enforced: the intake's upload forms are POSTed here
        List<AccessKey> keys = new ArrayList<>(identities.functions().values());
        keys.add(identities.admin());
        uploads = new PostObjectEndpoint(moto.endpoint(), keys);
        started.push(uploads);
        // the event sources play the Lambda service, which reads queues with its own rights, not the function's
        AwsClients clients = AwsClients.forEndpoint(moto.endpoint(), identities.admin());
        started.push(clients);

        // Every function of the template runs: those the HTTP API's routes call behind the gateway, each SQS event
        // as an event source mapping (the worker on the jobs queue, the dead-letter recorder on its queue),
        // each Schedule event on a timer (the release of parked jobs).
        List<HttpApiRoute> routes = HttpApiRoute.of(template);
        if (routes.isEmpty()) {
            throw new IllegalStateException(template.file() + " declares no " + HttpApiRoute.ROUTE);
        }
        Set<String> behindApi = routes.stream().map(HttpApiRoute::functionLogicalId).collect(Collectors.toSet());
        Map<String, LocalFunction> apiFunctions = new HashMap<>();
        List<LocalFunction> functions = new ArrayList<>();
        List<Runnable> afterWarmUp = new ArrayList<>();
        for (TemplateResource resource : template.resourcesOfType(FunctionDefinition.TYPE)) {
            FunctionDefinition definition = FunctionDefinition.from(template, resource.logicalId());
            Map<String, Map<String, Object>> sqsEvents = definition.eventsOfType("SQS");
            boolean http = behindApi.contains(definition.logicalId());
            int instances = http ? options.intakeInstances() : sqsEvents.values().stream()
                    .mapToInt(event -> options.workers() != null ? options.workers()
                            : Math.min(LocalRunOptions.DEFAULT_WORKERS, maximumConcurrency(template, event)))
                    .max().orElse(1);
            LocalFunction function = localFunction(template, definition, options, instances);
            functions.add(function);
            functionsById.put(definition.logicalId(), function);
            if (http) {
                apiFunctions.put(definition.logicalId(), function);
            }
            for (Map<String, Object> sqsEvent : sqsEvents.values()) {
                afterWarmUp.add(() -> startEventSourceMapping(template, sqsEvent, function, instances, clients, options));
            }
            for (Map<String, Object> schedule : definition.eventsOfType("Schedule").values()) {
                afterWarmUp.add(() -> started.push(new ScheduledInvocations(function,
                        template.resolveToString(schedule.get("Schedule"), resources), options.scheduleScale(), AwsClients.REGION, options.log())));
            }
        }
        // all functions initialise at once (each is a JVM booting Quarkus), so the first request is not a cold start
        CompletableFuture.allOf(functions.stream().map(f -> CompletableFuture.runAsync(f::prewarm)).toArray(CompletableFuture[]::new)).join();
        gateway = new HttpApiGateway(apiFunctions, routes, options.port());
        started.push(gateway);
        afterWarmUp.forEach(Runnable::run);
        startupTime = Duration.between(begin, Instant.now());
    }

    private void startEventSourceMapping(CloudFormationTemplate template, Map<String, Object> sqsEvent, LocalFunction function,
            int concurrency, AwsClients clients, LocalRunOptions options) {
        String queueArn = template.resolveToString(sqsEvent.get("Queue"), resources);
        String queueLogicalId = resources.byLogicalId().values().stream().filter(r -> queueArn.equals(r.arn()))
                .map(ProvisionedResource::logicalId).findFirst().orElseThrow();
        int batchSize = Integer.parseInt(String.valueOf(sqsEvent.getOrDefault("BatchSize", 10)));
        boolean reportFailures = sqsEvent.get("FunctionResponseTypes") instanceof List<?> types && types.contains("ReportBatchItemFailures");
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(clients.sqs(), resources.physicalId(queueLogicalId), queueArn,
                function, batchSize, reportFailures, concurrency, options.log());
        started.push(mapping);
        mapping.start();
    }

    /** ScalingConfig.MaximumConcurrency of the SQS event; Lambda's floor of 2 when absent. */
    private int maximumConcurrency(CloudFormationTemplate template, Map<String, Object> sqsEvent) {
        Object scaling = CloudFormationTemplate.optionalMap(sqsEvent.get("ScalingConfig")).get("MaximumConcurrency");
        return scaling == null ? 2 : Integer.parseInt(template.resolveToString(scaling, resources));
    }

    private LocalFunction localFunction(CloudFormationTemplate template, FunctionDefinition definition, LocalRunOptions options,
            int instances) {
        Map<String, String> extras = new HashMap<>();
        extras.put("PACER_UPLOADS_FORM_URL", uploads.formUrl(resources.physicalId("ImagesBucket")).toString());
        extras.putAll(options.functionExtras());
        Map<String, String> env = FunctionEnvironment.of(template, definition, resources, identities.of(definition.logicalId()), extras);
        LocalFunction function = new LocalFunction(PackagedFunction.launch(definition, env), instances, options.log());
        started.push(function);
        return function;
    }

    /** Base URL of the HTTP API, e.g. http://localhost:8080. */
    public URI apiUrl() {
        return gateway.url();
    }

    public URI motoEndpoint() {
        return moto.endpoint();
    }

    public ProvisionedResources resources() {
        return resources;
    }

    /** The key of the IAM user allowed every action: for aws commands and a test's own look into moto. */
    public AccessKey adminKey() {
        return identities.admin();
    }

    /** New SDK clients for moto signed with {@link #adminKey()}; the caller closes them. */
    public AwsClients awsClients() {
        return AwsClients.forEndpoint(moto.endpoint(), identities.admin());
    }

    /** The key a function signs with: its IAM user's, allowed what the function's role allows. */
    public AccessKey functionKey(String functionLogicalId) {
        return identities.of(functionLogicalId);
    }

    /** From start to ready: moto up, resources provisioned, both functions initialised, pollers running. */
    /**
     * How long the function's instances have spent on invocations so far, summed over them: times its memory, the
     * GB-seconds Lambda would bill (cold starts left out).
     */
    public Duration busyTime(String functionLogicalId) {
        LocalFunction function = functionsById.get(functionLogicalId);
        if (function == null) {
            throw new IllegalArgumentException("no function " + functionLogicalId + " in the template");
        }
        return function.busy();
    }

    public Duration startupTime() {
        return startupTime;
    }

    private synchronized void closeQuietly() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("local run: stopping failed: " + e);
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }
}
