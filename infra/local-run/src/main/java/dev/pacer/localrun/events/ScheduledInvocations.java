package dev.pacer.localrun.events;

import dev.pacer.localrun.lambda.LocalFunction;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's {@code Schedule} event, the way EventBridge runs it: {@code rate(N unit)} invokes the function
 * with a scheduled event every N units, first after one period.
 */
public final class ScheduledInvocations implements AutoCloseable {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    private final ScheduledExecutorService timer;

    public ScheduledInvocations(LocalFunction function, String schedule, String region, Consumer<String> log) {
        this(function, schedule, 1.0, region, log);
    }

    /** The schedule with its period multiplied by {@code scale} (at least 1 s): tests run minute schedules in seconds. */
    public ScheduledInvocations(LocalFunction function, String schedule, double scale, String region, Consumer<String> log) {
        Duration period = scaled(schedule, scale);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "schedule-" + function.name());
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> function.invoke(event(region))
                        .exceptionally(error -> {
                            log.accept("[" + function.name() + " schedule] invocation failed: " + error.getMessage());
                            return null;
                        }),
                period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The schedule's period times {@code scale}, at least a second. */
    static Duration scaled(String schedule, double scale) {
        return Duration.ofMillis(Math.max(1_000, Math.round(period(schedule).toMillis() * scale)));
    }

    static Duration period(String schedule) {
        Matcher rate = RATE.matcher(schedule.strip());
        if (!rate.matches()) {
            throw new IllegalArgumentException("the local run supports rate(N minutes|hours|days) schedules only, not " + schedule);
        }
        long n = Long.parseLong(rate.group(1));
        return switch (rate.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(n);
            case "hour", "hours" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static byte[] event(String region) {
        return ("{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"Scheduled Event\","
                + "\"source\":\"aws.events\",\"account\":\"123456789012\",\"time\":\"" + Instant.now() + "\","
                + "\"region\":\"" + region + "\",\"resources\":[],\"detail\":{}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
