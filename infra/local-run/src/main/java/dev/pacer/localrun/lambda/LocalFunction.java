package dev.pacer.localrun.lambda;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A function with up to {@code maxInstances} execution environments. An invocation takes an idle instance or starts
 * one (a cold start), waits when all are busy, and returns the instance afterwards unless it died or timed out.
 */
public final class LocalFunction implements AutoCloseable {

    private final java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();

    private final FunctionLaunch launch;
    private final Semaphore capacity;
    private final Deque<FunctionInstance> idle = new ConcurrentLinkedDeque<>();
    private final List<FunctionInstance> all = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final Consumer<String> log;
    private final ExecutorService dispatcher;
    private volatile boolean closed;

    public LocalFunction(FunctionLaunch launch, int maxInstances, Consumer<String> log) {
        if (maxInstances < 1) {
            throw new IllegalArgumentException("maxInstances must be at least 1");
        }
        this.launch = launch;
        this.capacity = new Semaphore(maxInstances, true);
        this.log = log;
        this.dispatcher = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "invoke-" + launch.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    public String name() {
        return launch.name();
    }

    /** Starts one instance ahead of the first invocation, so its init is not paid by a request. */
    public void prewarm() {
        FunctionInstance instance = startInstance();
        idle.push(instance);
    }

    /** Invokes with the event JSON; the result is the response payload, or a {@link FunctionErrorException}. */
    public CompletableFuture<byte[]> invoke(byte[] event) {
        return CompletableFuture.supplyAsync(this::acquire, dispatcher)
                .thenCompose(instance -> {
                    long start = System.nanoTime();
                    return instance.invoke(event).whenComplete((result, error) -> {
                        busyNanos.addAndGet(System.nanoTime() - start);
                        release(instance);
                    });
                });
    }

    /** The time instances spent on invocations, from event handed over to result back, summed over them. */
    public java.time.Duration busy() {
        return java.time.Duration.ofNanos(busyNanos.get());
    }

    private FunctionInstance acquire() {
        try {
            capacity.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            FunctionInstance instance;
            while ((instance = idle.poll()) != null) {
                if (instance.isAlive()) {
                    return instance;
                }
            }
            return startInstance();
        } catch (RuntimeException e) {
            capacity.release();
            throw e;
        }
    }

    private void release(FunctionInstance instance) {
        if (instance.isAlive() && !closed) {
            idle.push(instance);
        } else {
            instance.close();
            synchronized (all) {
                all.remove(instance);
            }
        }
        capacity.release();
    }

    private FunctionInstance startInstance() {
        FunctionInstance instance = new FunctionInstance(launch, started.incrementAndGet(), log);
        synchronized (all) {
            if (closed) {
                instance.close();
                throw new IllegalStateException(launch.name() + " is closed");
            }
            all.add(instance);
        }
        instance.awaitInitialised();
        return instance;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            all.forEach(FunctionInstance::close);
            all.clear();
        }
        dispatcher.shutdownNow();
    }
}
