package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Reads many jobs with a few concurrent GETs: enough to be quick, few enough to be polite to the API. */
final class JobFetcher implements AutoCloseable {

    /** What GET /v1/generations/{id} gave for one job. */
    sealed interface Fetched permits Found, Refused, Unreachable {
    }

    record Found(JsonNode job) implements Fetched {
    }

    /** The API said no: 404 for an unknown id or another caller's job, 400 for a malformed id. */
    record Refused(ApiProblem problem) implements Fetched {
    }

    record Unreachable(String reason) implements Fetched {
    }

    /** Why a job could not be read: the API's problem, or why the API could not be reached. */
    static String whyNot(Fetched fetched) {
        if (fetched instanceof Refused no) {
            return no.problem().describe();
        }
        if (fetched instanceof Unreachable down) {
            return down.reason();
        }
        throw new IllegalArgumentException("the job was read: " + fetched);
    }

    private final PacerApi api;
    private final ExecutorService pool;

    JobFetcher(PacerApi api, int concurrency) {
        this.api = api;
        this.pool = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "pacer-fetch");
            thread.setDaemon(true);
            return thread;
        });
    }

    Map<String, Fetched> fetch(List<String> ids) {
        Map<String, Future<Fetched>> pending = new LinkedHashMap<>();
        for (String id : ids) {
            pending.put(id, pool.submit(() -> fetchOne(id)));
        }
        Map<String, Fetched> results = new LinkedHashMap<>();
        pending.forEach((id, future) -> results.put(id, Concurrency.join(future)));
        return results;
    }

    private Fetched fetchOne(String id) {
        try {
            return new Found(api.generation(id));
        } catch (ApiProblem problem) {
            return problem.status() / 100 == 4 ? new Refused(problem) : new Unreachable(problem.describe());
        } catch (UncheckedIOException e) {
            return new Unreachable(e.getMessage());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
