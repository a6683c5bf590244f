package dev.pacer.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;
import dev.pacer.providers.NoInputImages;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.http.BatchHttp;
import dev.pacer.providers.http.JsonLines;
import dev.pacer.providers.http.JsonHttp;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * OpenAI's Batch API for {@code /v1/images/generations} and {@code /v1/images/edits} (one endpoint per batch, so a
 * batch holds generations or edits): the JSONL input file uploaded with {@code POST /v1/files}
 * ({@code purpose=batch}), then {@code POST /v1/batches} with a 24 h completion window and pacer's display name in
 * its metadata; {@code GET /v1/batches} to find it again; {@code GET /v1/batches/{id}} to poll; the output and error
 * files streamed from {@code GET /v1/files/{id}/content}; {@code POST /v1/batches/{id}/cancel}. Authenticated with
 * {@code Authorization: Bearer}, as the sync adapter is.
 */
public final class OpenAiBatchProvider implements BatchProvider {

    /** Pages of 100 batches; an account with more than this many pages is not searched further. */
    private static final int MOST_PAGES = 1000;
    private static final System.Logger LOG = System.getLogger(OpenAiBatchProvider.class.getName());

    private final AccountKeys keys;
    private final OpenAiRequests requests;
    private final OpenAiBatchResults results;
    private final BatchHttp http;
    private final InputImages inputs;

    /** A provider for prompts only: an edit's reference images cannot be read. */
    public OpenAiBatchProvider(AccountKeys keys, ProviderTimeouts timeouts, String quality, String outputFormat, ModelCatalog catalog) {
        this(keys, timeouts, quality, outputFormat, catalog, NoInputImages.INSTANCE);
    }

    /**
     * @param quality      {@code low}, {@code medium}, {@code high} or {@code auto}, as for the sync adapter
     * @param outputFormat {@code png}, {@code jpeg} or {@code webp}
     * @param catalog      what each model is called at OpenAI, and whether its edits take {@code input_fidelity}
     * @param inputs       where an edit's reference images are read, streamed into its line as base64 data URLs
     */
    public OpenAiBatchProvider(AccountKeys keys, ProviderTimeouts timeouts, String quality, String outputFormat, ModelCatalog catalog,
            InputImages inputs) {
        this.keys = keys;
        this.requests = new OpenAiRequests(quality, outputFormat, catalog);
        this.results = new OpenAiBatchResults(new OpenAiAnswers(outputFormat));
        this.http = new BatchHttp(OpenAiAnswers.PROVIDER, timeouts.connect(), OpenAiAnswers::error);
        this.inputs = inputs;
    }

    /** {@code model} is not sent apart: each line's body names it, as the sync request does. */
    @Override
    public ProviderBatch open(Account account, String model, String displayName, List<BatchLine> lines) {
        if (lines.isEmpty()) {
            throw new BatchProviderException("a batch needs at least one line", false);
        }
        String auth = auth(account);
        // refuses a batch of both generations and edits, before anything is sent: a batch has one endpoint
        OpenAiBatchInput input = new OpenAiBatchInput(lines, requests, inputs, displayName);
        HttpRequest upload = http.transfer(uri(account, "/v1/files"))
                .header("Authorization", auth)
                .header("Content-Type", input.contentType())
                .POST(input.multipart().publisher())
                .build();
        String fileId = http.send(upload, "file upload", Set.of()).json().path("id").asText("");
        if (fileId.isEmpty()) {
            throw new BatchProviderException("openai file upload answered without a file id", true);
        }
        ObjectNode create = JSON.createObjectNode()
                .put("input_file_id", fileId)
                .put("endpoint", input.endpoint())
                .put("completion_window", "24h");
        create.putObject("metadata").put(OpenAiBatches.DISPLAY_NAME, displayName);
        JsonNode batch = http.send(http.call(uri(account, "/v1/batches")).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(create.toString())).build(),
                "batch create", Set.of()).json();
        ProviderBatch made = OpenAiBatches.batch(batch, displayName);
        if (made.name().isEmpty()) {
            throw new BatchProviderException("openai batch create answered without a batch id", true);
        }
        return made.total() > 0 ? made : new ProviderBatch(made.name(), made.displayName(), made.state(), input.size(), 0, 0);
    }

    @Override
    public List<ProviderBatch> findByDisplayName(Account account, String displayName) {
        String auth = auth(account);
        record Found(ProviderBatch batch, long created) {
        }
        List<Found> found = new ArrayList<>();
        String after = "";
        for (int page = 0; page < MOST_PAGES; page++) {
            String query = "?limit=100" + (after.isEmpty() ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            JsonNode list = http.send(http.call(uri(account, "/v1/batches" + query)).header("Authorization", auth).GET().build(),
                    "batch list", Set.of()).json();
            for (JsonNode batch : list.path("data")) {
                if (displayName.equals(batch.path("metadata").path(OpenAiBatches.DISPLAY_NAME).asText(null))) {
                    found.add(new Found(OpenAiBatches.batch(batch, displayName), batch.path("created_at").asLong(0)));
                }
            }
            after = list.path("last_id").asText("");
            if (!list.path("has_more").asBoolean(false) || after.isEmpty()) {
                break;
            }
        }
        return found.stream().sorted(Comparator.comparingLong(Found::created).reversed()).map(Found::batch).toList();
    }

    @Override
    public ProviderBatch poll(Account account, ProviderBatch batch) {
        return OpenAiBatches.batch(get(account, batch, auth(account)), batch.displayName());
    }

    /**
     * The output file's lines, then the error file's: both are read as they arrive, a line at a time. An expired or
     * cancelled batch has both for the lines it finished; the lines it never ran are left out.
     */
    @Override
    public void results(Account account, ProviderBatch batch, Consumer<BatchLineResult> each) {
        String auth = auth(account);
        JsonNode now = get(account, batch, auth);
        for (String field : List.of("output_file_id", "error_file_id")) {
            String fileId = now.path(field).asText("");
            if (fileId.isEmpty() || now.path(field).isNull()) {
                continue;
            }
            http.read(http.transfer(uri(account, "/v1/files/" + fileId + "/content")).header("Authorization", auth).GET().build(),
                    "results file download", body -> JsonLines.read(body, OpenAiBatchResults.IMAGES,
                            line -> results.line(line).ifPresent(each),
                            number -> LOG.log(System.Logger.Level.WARNING, "openai {0}: line {1} of {2} cannot be read; left out", batch.name(), number, fileId)));
        }
    }

    @Override
    public void cancel(Account account, ProviderBatch batch) {
        http.send(http.call(uri(account, "/v1/batches/" + batch.name() + "/cancel")).header("Authorization", auth(account))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), "batch cancel", Set.of());
    }

    private JsonNode get(Account account, ProviderBatch batch, String auth) {
        return http.send(http.call(uri(account, "/v1/batches/" + batch.name())).header("Authorization", auth).GET().build(),
                "batch poll", Set.of()).json();
    }

    private static URI uri(Account account, String path) {
        return URI.create(JsonHttp.trimSlash(account.baseUrl()) + path);
    }

    /** The account's key, looked up for this call; one that cannot be found now may be found later. */
    private String auth(Account account) {
        try {
            return "Bearer " + keys.apiKey(account).orElse("");
        } catch (RuntimeException notFound) {
            throw new BatchProviderException("openai key of account " + account.id() + " not found: " + notFound.getMessage(), true, notFound);
        }
    }
}
