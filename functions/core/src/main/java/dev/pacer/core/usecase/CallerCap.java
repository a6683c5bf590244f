package dev.pacer.core.usecase;

import dev.pacer.core.port.JobStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One caller cannot drain the pool: each may have at most {@code maxUnfinished} jobs not yet finished, and a
 * submission beyond that is refused until some finish (or are cancelled).
 * <p>
 * The count comes from the job store ({@link JobStore#unfinished}), which keeps it in the writes it makes anyway: a
 * job counts from its creation to the write that ends it. Reading it costs a call, so an instance does not read it for
 * every submission. While its last count left a caller more than {@code countEvery} below the cap, it admits up to
 * {@code countEvery - 1} more of that caller's submissions before it counts again; near the cap it counts before each
 * one. So the cap is exact for one instance, and each further instance serving the caller may let it pass by at most
 * {@code countEvery - 1}.
 */
public final class CallerCap {

    /** How many callers an instance remembers the last count of; the least recently seen are forgotten. */
    private static final int REMEMBERED_CALLERS = 10_000;

    /**
     * @param maxUnfinished jobs not yet finished a caller may have; 0 turns the cap off
     * @param countEvery    submissions admitted between counts while a caller is far below the cap (1: count each one)
     * @param retryAfter    what a refused caller is told to wait before trying again
     */
    public record Settings(int maxUnfinished, int countEvery, Duration retryAfter) {
        public Settings {
            if (maxUnfinished < 0 || countEvery < 1) {
                throw new IllegalArgumentException("maxUnfinished must be at least 0 and countEvery at least 1");
            }
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        /** No cap at all. */
        public static Settings off() {
            return new Settings(0, 1, Duration.ZERO);
        }
    }

    /** The caller has as many unfinished jobs as the cap allows: nothing was stored. */
    public static final class CapReachedException extends RuntimeException {
        private final Duration retryAfter;

        CapReachedException(int cap, Duration retryAfter) {
            super("you have " + cap + " jobs not yet finished, the most one caller may have; submit more as they finish, or cancel some");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** What this instance knows of one caller: its last count (with the submission it admitted), and those admitted since. */
    private static final class Caller {
        long counted;
        int admittedSince;
    }

    private final JobStore jobs;
    private final Settings settings;
    private final Map<String, Caller> callers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Caller> eldest) {
            return size() > REMEMBERED_CALLERS;
        }
    };

    public CallerCap(JobStore jobs, Settings settings) {
        this.jobs = jobs;
        this.settings = settings;
    }

    /**
     * Admits one more submission of {@code owner}'s, counted as unfinished from now on.
     *
     * @throws CapReachedException when the owner is at the cap
     */
    public void admit(String owner) {
        if (settings.maxUnfinished() == 0) {
            return;
        }
        Caller caller;
        synchronized (callers) {
            caller = callers.computeIfAbsent(owner, o -> new Caller());
        }
        synchronized (caller) {
            long estimate = caller.counted + caller.admittedSince;
            boolean farBelow = estimate + 1 <= settings.maxUnfinished() - settings.countEvery();
            if (farBelow && caller.admittedSince + 1 < settings.countEvery()) {
                caller.admittedSince++;
                return;
            }
            long unfinished = jobs.unfinished(owner, settings.maxUnfinished());
            caller.admittedSince = 0;
            if (unfinished >= settings.maxUnfinished()) {
                caller.counted = unfinished;
                throw new CapReachedException(settings.maxUnfinished(), settings.retryAfter());
            }
            // this submission is one of them from now on
            caller.counted = unfinished + 1;
        }
    }
}
