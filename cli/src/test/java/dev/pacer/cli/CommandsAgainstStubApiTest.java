package dev.pacer.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What plan, cancel and a refused submit print, against a local server giving the API's answers. */
class CommandsAgainstStubApiTest {

    private final StubApi api = new StubApi();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void planPrintsTheCapacityAnswerAsATable() {
        api.answer("GET", "/v1/capacity", 200, """
                {"model":"gemini-3.1-flash-image","resolution":"1K","imagesPerMinute":20,"latencySeconds":13.0,
                 "latencySource":"seed","accounts":2,
                 "ceiling":{"imagesPerMinute":40,"imagesPerDay":1000,"requestsPerMinute":40,"requestsPerDay":1000},
                 "concurrencyNeeded":5,"sqsMaximumConcurrency":10,"requestsPerMinuteNeeded":20,
                 "dailyQuotaRunsOutAt":"2026-11-28T05:10:00Z","costPerImage":{"provider":0.039,"aws":0.0004,"total":0.0394},
                 "batch":{"available":true,"reason":"batches of up to 1000 lines","accounts":2,"imagesPerDay":200000,
                          "turnaroundHours":26.0,"expectedBy":"2026-11-29T19:00:00Z",
                          "costPerImage":{"provider":0.0195,"aws":0.0001,"total":0.0196}},
                 "warnings":["the daily quota runs out before the provider day ends"]}
                """);

        int exit = run("plan", "--model", "gemini-3.1-flash-image", "--resolution", "1K", "--images-per-minute", "20");

        assertEquals(Pacer.OK, exit, err::toString);
        assertEquals("/v1/capacity?model=gemini-3.1-flash-image&resolution=1K&imagesPerMinute=20",
                api.received().get(0).uri().toString());
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("workers needed        5 concurrent (SQS maximum concurrency 10)"), table);
        assertTrue(table.contains("quota ceiling         40 images/min, 1000 images/day, 40 requests/min, 1000 requests/day"), table);
        assertTrue(table.contains("cost per image        $0.0394 (provider $0.039 + AWS $0.0004)"), table);
        assertTrue(table.contains("batch lane            200000 images/day, done within 26 h (by 2026-11-29T19:00:00Z)"), table);
        assertTrue(table.contains("batch cost per image  $0.0196 (provider $0.0195 + AWS $0.0001)"), table);
        assertTrue(table.contains("warning: the daily quota runs out before the provider day ends"), table);
    }

    @Test
    void quotaPrintsPerLimitWhatIsAppliedDeclaredStatedAndLearnedAndWhy() {
        api.answer("GET", "/v1/quota", 200, """
                {"asOf":"2026-11-27T18:00:00Z","accounts":[{"account":"project-a","provider":"gemini","model":"gemini-3.1-flash-image",
                 "limits":{"rpm":20,"ipm":20,"rpd":250,"tpm":null,"maxConcurrent":null},
                 "stated":{"rpm":{"limit":12,"remaining":null,"resetsAt":null,"at":"2026-11-27T17:58:00Z",
                           "source":"quotaValue of GenerateRequestsPerMinutePerProjectPerModel"},"ipm":null,"rpd":null,"tpm":null},
                 "learned":{"rpm":{"rate":9,"heldBelow":12,"since":"2026-11-27T17:59:30Z","phase":"rising",
                                   "why":"no 429 for 30 s: +1, back toward 11, one step below the 12 a 429 met"},
                            "ipm":null,"rpd":null,"tpm":null,"spread":true,
                            "last429":{"at":"2026-11-27T17:58:00Z","reason":"rate_limited: gemini 429 RESOURCE_EXHAUSTED"}},
                 "appliedLimits":{"rpm":9,"ipm":20,"rpd":250,"tpm":null,"maxConcurrent":null},
                 "used":{"requestsLastMinute":7,"imagesLastMinute":7,"tokensLastMinute":7840,"requestsToday":131,
                         "providerDay":"2026-11-27","providerDayResetsAt":"2026-11-28T08:00:00Z","inFlight":0},
                 "coolingDownUntil":null,"cooldownReason":null,
                 "batch":{"enqueuedTokens":28150,"enqueuedTokensLimit":28150,"limitSource":"learned","declaredEnqueuedTokens":1800000,
                          "learned":{"enqueuedTokens":28150,"at":"2026-11-27T17:50:00Z","reason":"gemini batch create answered 429"},
                          "openBatches":1,"maxOpenBatches":100}}]}
                """);

        int exit = run("quota");

        assertEquals(Pacer.OK, exit, err::toString);
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.startsWith("ACCOUNT"), table);
        assertTrue(table.contains("rpm           7      9        20        12      9, rising: no 429 for 30 s: +1, back toward 11"), table);
        assertTrue(table.contains("ipm           7      20       20        -       -"), table);
        assertTrue(table.contains("rpd           131    250      250       -       -"), table);
        assertTrue(!table.contains("tpm "), "a limit nothing knows of is left out: " + table);
        assertTrue(table.contains("batch tokens  28150  28150    1800000   -       28150: gemini batch create answered 429"), table);
        assertTrue(table.contains("batches open  1      100      -         -       -"), table);
        assertTrue(table.contains("spread evenly  2026-11-28T08:00:00Z  2026-11-27T17:58:00Z rate_limited: gemini 429 RESOURCE_EXHAUSTED"), table);
    }

    @Test
    void planAgainstAnOlderServerSaysSoAndFails() {
        int exit = run("plan", "--model", "m", "--resolution", "1K");

        assertEquals(Pacer.FAILED, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has no /v1/capacity (HTTP 404): the stack is older than this CLI"), err::toString);
    }

    @Test
    void aRefusedSinglePromptPrintsTheProblemsDetailAndField() {
        api.answer("POST", "/v1/generations", 400, """
                {"type":"urn:pacer:problem:invalid-request","title":"Invalid request","status":400,
                 "detail":"resolution: must be one of 0.5K, 1K, 2K, 4K","field":"resolution"}
                """);

        int exit = run("submit", "a red fox", "--resolution", "8K");

        assertEquals(Pacer.FAILED, exit);
        assertEquals("pacer submit: the API refused: HTTP 400, field resolution: resolution: must be one of 0.5K, 1K, 2K, 4K\n",
                err.toString(StandardCharsets.UTF_8));
        assertTrue(api.received().get(0).headers().get("idempotency-key").matches("pacer-cli-[0-9a-f-]{36}"));
    }

    @Test
    void submitAsksForTheLaneAndTheDeadlineItIsGiven() throws Exception {
        api.answer("POST", "/v1/generations", 202, "{\"id\":\"job-1\",\"status\":\"QUEUED\",\"lane\":\"batch\",\"links\":{}}");

        int exit = run("submit", "a red fox", "--lane", "batch", "--deadline", "2026-12-03T18:00:00Z");

        assertEquals(Pacer.OK, exit, err::toString);
        com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(api.received().get(0).body());
        assertEquals("batch", body.get("lane").asText());
        assertEquals("2026-12-03T18:00:00Z", body.get("deadline").asText());
    }

    @Test
    void aSubmissionBeyondThePerCallerCapIsReportedAtOnceNotRetried() {
        api.answer("POST", "/v1/generations", 429, """
                {"type":"urn:pacer:problem:too-many-unfinished-jobs","title":"Too many unfinished jobs","status":429,
                 "detail":"you have 1000 jobs not yet finished, the most one caller may have"}
                """);

        int exit = run("submit", "a red fox");

        assertEquals(Pacer.FAILED, exit);
        assertEquals("pacer submit: the API refused: HTTP 429: you have 1000 jobs not yet finished, the most one caller may have\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(1, api.received().size(), "it lasts until jobs finish: no quick retries");
    }

    @Test
    void cancelSaysOfEachJobWhetherItWasCancelledRunsOnOrHadFinished() {
        String queued = "00000000-0000-4000-8000-000000000001";
        String running = "00000000-0000-4000-8000-000000000002";
        String finished = "00000000-0000-4000-8000-000000000003";
        api.answer("DELETE", "/v1/generations/" + queued, 200, "{\"id\":\"" + queued + "\",\"status\":\"CANCELLED\"}");
        api.answer("DELETE", "/v1/generations/" + running, 409, """
                {"type":"urn:pacer:problem:job-running","title":"Job is running","status":409,"detail":"job is RUNNING"}
                """);
        api.answer("DELETE", "/v1/generations/" + finished, 409, """
                {"type":"urn:pacer:problem:job-finished","title":"Job has finished","status":409,
                 "detail":"job has already finished: SUCCEEDED"}
                """);

        int exit = run("cancel", queued, running, finished);

        assertEquals(Pacer.OK, exit, err::toString);
        assertEquals(List.of(queued + " CANCELLED",
                running + " RUNNING: its provider call goes on, but it will not be tried again",
                finished + " not cancelled: job has already finished: SUCCEEDED",
                "cancelled 1 of 3 jobs; 1 running, not tried again; 1 already finished"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(List.of("DELETE", "DELETE", "DELETE"), api.received().stream().map(StubApi.Received::method).toList());
    }

    @Test
    void cancellingAJobTheApiDoesNotKnowFails() {
        String unknown = "00000000-0000-4000-8000-000000000009";
        api.answer("DELETE", "/v1/generations/" + unknown, 404, """
                {"type":"urn:pacer:problem:not-found","title":"No such generation","status":404,"detail":"no generation has id x"}
                """);

        int exit = run("cancel", unknown);

        assertEquals(Pacer.FAILED, exit);
        assertEquals(unknown + " HTTP 404: no generation has id x\n", err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("cancelled 0 of 1 job; 1 problems above"), out::toString);
    }

    private int run(String... args) {
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("PACER_URL", api.url().toString()), false, Clock.systemUTC());
        return Pacer.run(args, cli);
    }
}
