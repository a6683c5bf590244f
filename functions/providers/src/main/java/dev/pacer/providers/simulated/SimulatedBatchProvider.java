package dev.pacer.providers.simulated;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.providers.NoInputImages;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The simulated provider's batch mode: a batch finishes {@code turnaround × latencyFactor} after it was opened (a minute
 * at factor 1, 12 s at the local run's 0.2), then answers each image on a line of its own, as Gemini does, drawn from
 * the prompt (and an edit's inputs, read when the batch is opened) like {@link SimulatedImageProvider}'s. A prompt with {@code [simulate:safety]} or
 * {@code [simulate:unavailable]} gets that line error; one with {@code [simulate:batch-expired]} is left unfinished and
 * the batch ends EXPIRED. The batch, its lines and when it was opened are kept in {@link SimulatedBatches}, so any
 * process can poll it and read its results.
 */
public final class SimulatedBatchProvider implements BatchProvider {

    public static final String BATCH_EXPIRED = "[simulate:batch-expired]";
    /** A batch's turnaround at latency factor 1. */
    public static final Duration TURNAROUND = Duration.ofMinutes(1);
    private static final String NAME_PREFIX = "simulated-batches/";

    /** What the simulated provider keeps of a batch. */
    record Stored(String name, String displayName, String model, long createdAtMillis, List<Line> lines) {
    }

    /**
     * One job's request as it was sent; an edit's inputs as references, and what its pictures are drawn from
     * ({@code drawn}: the prompt and the digests of the inputs' bytes, read when the batch was opened).
     */
    record Line(String jobId, String prompt, String model, String resolution, String aspectRatio, int count, Map<String, String> metadata,
            List<InputImage> inputs, InputImage mask, String drawn) {
        GenerationRequest request() {
            return new GenerationRequest(prompt, model, Resolution.fromLabel(resolution).orElseThrow(), aspectRatio, count, metadata,
                    inputs == null ? List.of() : inputs, Optional.ofNullable(mask));
        }
    }

    private final SimulatedImageProvider images;
    private final SimulatedBatches store;
    private final Duration turnaround;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public SimulatedBatchProvider(double latencyFactor, int maxLongSide, SimulatedBatches store, Clock clock) {
        this(latencyFactor, maxLongSide, store, NoInputImages.INSTANCE, clock);
    }

    /** @param inputs where an edit's reference images are read, each whole, when its batch is opened */
    public SimulatedBatchProvider(double latencyFactor, int maxLongSide, SimulatedBatches store, InputImages inputs, Clock clock) {
        this.images = new SimulatedImageProvider(0, maxLongSide, inputs);
        this.store = store;
        this.turnaround = Duration.ofMillis(Math.round(TURNAROUND.toMillis() * latencyFactor));
        this.clock = clock;
    }

    @Override
    public ProviderBatch open(Account account, String model, String displayName, List<BatchLine> lines) {
        if (store.get(displayName).isPresent()) {
            // as with a real provider, a second create makes a second batch; the simulated one keeps one per name
            throw new BatchProviderException("a simulated batch named " + displayName + " exists already", false);
        }
        List<Line> kept = lines.stream().map(line -> {
            GenerationRequest request = line.request();
            // an edit's inputs are read now, as a real batch's requests carry them when it is opened
            return new Line(line.jobId(), request.prompt(), request.model(), request.resolution().label(), request.aspectRatio(),
                    request.count(), request.metadata(), request.inputs(), request.mask().orElse(null), drawn(line));
        }).toList();
        Stored batch = new Stored(NAME_PREFIX + displayName, displayName, model, clock.millis(), kept);
        try {
            store.put(displayName, json.writeValueAsBytes(batch));
        } catch (IOException e) {
            throw new BatchProviderException("could not keep the simulated batch", true, e);
        }
        return view(batch);
    }

    private String drawn(BatchLine line) {
        try {
            return images.drawn(line.request());
        } catch (RuntimeException unreadable) {
            // a real batch's send breaks off the same way: the provider never had the whole batch, a later run opens it again
            throw new BatchProviderException("an input image of job " + line.jobId() + " could not be read: " + unreadable.getMessage(), true,
                    unreadable);
        }
    }

    @Override
    public List<ProviderBatch> findByDisplayName(Account account, String displayName) {
        return load(displayName).map(this::view).stream().toList();
    }

    @Override
    public ProviderBatch poll(Account account, ProviderBatch batch) {
        return view(require(batch));
    }

    @Override
    public void results(Account account, ProviderBatch batch, Consumer<BatchLineResult> each) {
        for (Line line : require(batch).lines()) {
            GenerationRequest request = line.request();
            if (request.prompt().contains(BATCH_EXPIRED)) {
                continue;
            }
            Optional<ProviderOutcome.Failure> failure = SimulatedImageProvider.failureAskedFor(request);
            for (int n = 0; n < request.count(); n++) {
                ProviderOutcome outcome = failure.isPresent() ? failure.get() : new ProviderOutcome.Generated(List.of(images.picture(request, drawn(line), n)));
                each.accept(new BatchLineResult(line.jobId(), n, outcome));
            }
        }
    }

    @Override
    public void cancel(Account account, ProviderBatch batch) {
        throw new BatchProviderException("the simulated provider does not cancel batches", false);
    }

    /** A batch kept before lines carried what they are drawn from was drawn from its prompts. */
    private static String drawn(Line line) {
        return line.drawn() == null ? line.prompt() : line.drawn();
    }

    private Stored require(ProviderBatch batch) {
        return load(batch.displayName()).orElseThrow(() -> new BatchProviderException("no simulated batch " + batch.name(), false));
    }

    private Optional<Stored> load(String displayName) {
        return store.get(displayName).map(bytes -> {
            try {
                return json.readValue(bytes, Stored.class);
            } catch (IOException e) {
                throw new BatchProviderException("the simulated batch " + displayName + " cannot be read", false, e);
            }
        });
    }

    private ProviderBatch view(Stored batch) {
        Duration age = Duration.ofMillis(clock.millis() - batch.createdAtMillis());
        int total = batch.lines().stream().mapToInt(Line::count).sum();
        if (age.compareTo(turnaround) < 0) {
            BatchState state = age.compareTo(turnaround.dividedBy(10)) < 0 ? BatchState.PENDING : BatchState.RUNNING;
            return new ProviderBatch(batch.name(), batch.displayName(), state, total, 0, 0);
        }
        boolean expired = batch.lines().stream().anyMatch(line -> line.prompt().contains(BATCH_EXPIRED));
        int failed = batch.lines().stream().filter(line -> SimulatedImageProvider.failureAskedFor(line.request()).isPresent()
                || line.prompt().contains(BATCH_EXPIRED)).mapToInt(Line::count).sum();
        return new ProviderBatch(batch.name(), batch.displayName(), expired ? BatchState.EXPIRED : BatchState.SUCCEEDED, total, total - failed,
                failed);
    }
}
