package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A provider's Batch API in memory, told by the test what to do: which state a batch is in, what each line brings, and
 * whether {@code open} fails, or makes the batch and then fails (the crash between "created" and "recorded").
 */
final class ScriptedBatchProvider implements BatchProvider {

    /** One batch as the provider keeps it. */
    record Made(Account account, String model, String displayName, List<BatchLine> lines, ProviderBatch batch) {
    }

    final Map<String, Made> batches = new LinkedHashMap<>();
    private final Map<String, BatchState> states = new LinkedHashMap<>();
    /** What each line brings; the default is one PNG per image. */
    Function<BatchLine, List<BatchLineResult>> answer = line -> List.of(new BatchLineResult(line.jobId(), 0, images(line.request().count())));
    /** Lines left out of the results, as an expired batch leaves its unfinished ones. */
    final List<String> unfinished = new ArrayList<>();
    Optional<BatchProviderException> failOpen = Optional.empty();
    /**
     * The provider's enqueued-token limit per account, counted as the provider counts it (the lines' prompt and images
     * at {@link #TOKENS_PER_IMAGE}): a create over it answers 429, or, with {@link #overQuotaAfterCreate}, is made and
     * then failed OVER_QUOTA (OpenAI's way).
     */
    final Map<String, Long> enqueuedLimit = new LinkedHashMap<>();
    boolean overQuotaAfterCreate;
    static final long TOKENS_PER_IMAGE = 1_120;
    boolean failAfterMaking;
    int resultReads;

    static ProviderOutcome.Generated images(int count) {
        List<ProviderOutcome.GeneratedImage> images = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            images.add(new ProviderOutcome.GeneratedImage(new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) n}, "image/png"));
        }
        return new ProviderOutcome.Generated(images);
    }

    @Override
    public synchronized ProviderBatch open(Account account, String model, String displayName, List<BatchLine> lines) {
        if (failOpen.isPresent()) {
            throw failOpen.get();
        }
        boolean over = enqueuedLimit.containsKey(account.id())
                && enqueued(account) + tokens(lines) > enqueuedLimit.get(account.id());
        if (over && !overQuotaAfterCreate) {
            throw BatchProviderException.overQuota("gemini batch create answered 429 RESOURCE_EXHAUSTED: enqueued tokens");
        }
        String name = "batches/" + (batches.size() + 1);
        ProviderBatch batch = new ProviderBatch(name, displayName, BatchState.PENDING, lines.size(), 0, 0);
        batches.put(name, new Made(account, model, displayName, List.copyOf(lines), batch));
        states.put(name, over ? BatchState.OVER_QUOTA : BatchState.PENDING);
        if (failAfterMaking) {
            throw new BatchProviderException("connection reset after the batch was made", true);
        }
        return batch;
    }

    @Override
    public synchronized List<ProviderBatch> findByDisplayName(Account account, String displayName) {
        return batches.values().stream()
                .filter(made -> made.account().id().equals(account.id()) && made.displayName().equals(displayName))
                .map(made -> current(made.batch()))
                .toList();
    }

    @Override
    public synchronized ProviderBatch poll(Account account, ProviderBatch batch) {
        return current(batch);
    }

    @Override
    public synchronized void results(Account account, ProviderBatch batch, Consumer<BatchLineResult> each) {
        resultReads++;
        for (BatchLine line : batches.get(batch.name()).lines()) {
            if (!unfinished.contains(line.jobId())) {
                answer.apply(line).forEach(each);
            }
        }
    }

    @Override
    public void cancel(Account account, ProviderBatch batch) {
        states.put(batch.name(), BatchState.CANCELLED);
    }

    /** What the account's unfinished batches hold, as the provider counts it. */
    synchronized long enqueued(Account account) {
        return batches.values().stream().filter(made -> made.account().id().equals(account.id()) && !states.get(made.batch().name()).isFinal())
                .mapToLong(made -> tokens(made.lines())).sum();
    }

    private static long tokens(List<BatchLine> lines) {
        return lines.stream().mapToLong(line -> (line.request().prompt().length() + 3) / 4 + line.request().count() * TOKENS_PER_IMAGE).sum();
    }

    synchronized void finish(String name, BatchState state) {
        states.put(name, state);
    }

    synchronized void finishAll(BatchState state) {
        states.replaceAll((name, was) -> state);
    }

    private ProviderBatch current(ProviderBatch batch) {
        Made made = batches.get(batch.name());
        return new ProviderBatch(batch.name(), made.displayName(), states.get(batch.name()), made.lines().size(), 0, 0);
    }
}
