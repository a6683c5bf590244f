package dev.pacer.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.pacer.providers.http.StreamedBody;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static dev.pacer.providers.http.JsonHttp.JSON;

/**
 * Gemini's Batch API: {@code POST {base}/v1beta/models/{model}:batchGenerateContent} with one request per image (an
 * edit's carrying its reference images as {@code inlineData} parts, base64 streamed from S3 as the body is sent), inline
 * while the create call's body stays under {@link #INLINE_LIMIT_BYTES}, else as a JSONL file sent through the
 * resumable Files API; {@code GET …/v1beta/batches} to find a batch again by its display name; {@code GET
 * …/v1beta/batches/{id}} to poll; the answers inline in the operation or in its responses file
 * ({@code GET {base}/download/v1beta/{file}:download?alt=media}), read one at a time; {@code POST …:cancel}.
 * Authenticated with {@code x-goog-api-key}, as the sync adapter is.
 */
public final class GeminiBatchProvider implements BatchProvider {

    /** Google's limit for inline requests is 20 MB for the whole create call. */
    public static final long INLINE_LIMIT_BYTES = 20_000_000L;
    /** The Files API takes input files of up to 2 GB. */
    static final long MOST_FILE_BYTES = 2_000_000_000L;
    /** Pages of 100 batches; an account with more than this many pages is not searched further. */
    private static final int MOST_PAGES = 1000;
    /** A batch's answers, skipped when only its state is wanted: they may be every image it made. */
    private static final Set<String> ANSWERS = Set.of("inlinedResponses");
    private static final System.Logger LOG = System.getLogger(GeminiBatchProvider.class.getName());

    private final AccountKeys keys;
    private final GeminiRequests requests;
    private final BatchHttp http;
    private final long inlineLimitBytes;
    private final InputImages inputs;

    /** A provider for prompts only: an edit's reference images cannot be read. */
    public GeminiBatchProvider(AccountKeys keys, ProviderTimeouts timeouts, ModelCatalog catalog) {
        this(keys, timeouts, catalog, NoInputImages.INSTANCE);
    }

    /**
     * @param catalog what each model is called at Gemini and whether it takes an {@code imageSize}
     * @param inputs  where an edit's reference images are read, streamed into the batch's requests as base64
     */
    public GeminiBatchProvider(AccountKeys keys, ProviderTimeouts timeouts, ModelCatalog catalog, InputImages inputs) {
        this(keys, timeouts, catalog, INLINE_LIMIT_BYTES, inputs);
    }

    /** @param inlineLimitBytes a create body of this size or more goes as a file instead */
    public GeminiBatchProvider(AccountKeys keys, ProviderTimeouts timeouts, ModelCatalog catalog, long inlineLimitBytes) {
        this(keys, timeouts, catalog, inlineLimitBytes, NoInputImages.INSTANCE);
    }

    /** @param inlineLimitBytes a create body of this size or more (its images' base64 counted) goes as a file instead */
    public GeminiBatchProvider(AccountKeys keys, ProviderTimeouts timeouts, ModelCatalog catalog, long inlineLimitBytes, InputImages inputs) {
        this.keys = keys;
        this.requests = new GeminiRequests(catalog);
        this.http = new BatchHttp(GeminiAnswers.PROVIDER, timeouts.connect(), answer -> GeminiAnswers.error(answer, answer.json()));
        this.inlineLimitBytes = inlineLimitBytes;
        this.inputs = inputs;
    }

    @Override
    public ProviderBatch open(Account account, String model, String displayName, List<BatchLine> lines) {
        if (lines.isEmpty()) {
            throw new BatchProviderException("a batch needs at least one line", false);
        }
        String key = key(account);
        GeminiBatchInput input = new GeminiBatchInput(lines, requests, inputs);
        URI create = uri(account, "/v1beta/models/" + requests.providerModel(model) + ":batchGenerateContent");
        // the limit counts the inputs' base64 too: StreamedBody knows its length before it reads any of them
        StreamedBody inline = input.inlineCreateBody(displayName);
        HttpRequest.BodyPublisher body = inline.publisher();
        if (inline.length() >= inlineLimitBytes) {
            String file = upload(account, key, displayName, input);
            body = HttpRequest.BodyPublishers.ofString(GeminiBatchInput.fileCreateBody(displayName, file));
        }
        JsonNode operation = http.send(http.transfer(create).header("x-goog-api-key", key)
                .header("Content-Type", "application/json").POST(body).build(), "batch create", ANSWERS).json();
        ProviderBatch made = GeminiBatches.batch(operation, displayName);
        if (made.name().isEmpty()) {
            throw new BatchProviderException("gemini batch create answered without a batch name", true);
        }
        return made.total() > 0 ? made : new ProviderBatch(made.name(), made.displayName(), made.state(), input.size(), 0, 0);
    }

    /** The resumable upload: a start call that names the file and its size, then its bytes in one finalizing call. */
    private String upload(Account account, String key, String displayName, GeminiBatchInput input) {
        StreamedBody jsonl = input.jsonl();
        HttpRequest.BodyPublisher bytes = jsonl.publisher();
        if (bytes.contentLength() > MOST_FILE_BYTES) {
            throw new BatchProviderException("a Gemini batch input file takes at most " + MOST_FILE_BYTES + " bytes, not " + bytes.contentLength(), false);
        }
        HttpRequest start = http.call(uri(account, "/upload/v1beta/files"))
                .header("x-goog-api-key", key)
                .header("X-Goog-Upload-Protocol", "resumable")
                .header("X-Goog-Upload-Command", "start")
                .header("X-Goog-Upload-Header-Content-Length", Long.toString(bytes.contentLength()))
                .header("X-Goog-Upload-Header-Content-Type", "application/jsonl")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file\":{\"display_name\":" + GeminiBatchInput.quoted(displayName) + "}}"))
                .build();
        String uploadUrl = http.send(start, "file upload start", Set.of()).headers().firstValue("x-goog-upload-url")
                .orElseThrow(() -> new BatchProviderException("gemini file upload start answered without x-goog-upload-url", true));
        HttpRequest send = http.transfer(URI.create(uploadUrl))
                .header("x-goog-api-key", key)
                .header("X-Goog-Upload-Offset", "0")
                .header("X-Goog-Upload-Command", "upload, finalize")
                .POST(bytes)
                .build();
        String file = http.send(send, "file upload", Set.of()).json().path("file").path("name").asText("");
        if (file.isEmpty()) {
            throw new BatchProviderException("gemini file upload answered without a file name", true);
        }
        return file;
    }

    @Override
    public List<ProviderBatch> findByDisplayName(Account account, String displayName) {
        String key = key(account);
        record Found(ProviderBatch batch, Instant created) {
        }
        List<Found> found = new ArrayList<>();
        String pageToken = "";
        for (int page = 0; page < MOST_PAGES; page++) {
            String query = "?pageSize=100" + (pageToken.isEmpty() ? "" : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
            JsonNode list = http.send(http.call(uri(account, "/v1beta/batches" + query)).header("x-goog-api-key", key).GET().build(),
                    "batch list", ANSWERS).json();
            JsonNode operations = list.has("operations") ? list.get("operations") : list.path("batches");
            for (JsonNode operation : operations) {
                ProviderBatch batch = GeminiBatches.batch(operation, "");
                if (batch.displayName().equals(displayName)) {
                    found.add(new Found(batch, GeminiBatches.created(operation)));
                }
            }
            pageToken = list.path("nextPageToken").asText("");
            if (pageToken.isEmpty()) {
                break;
            }
        }
        return found.stream().sorted(Comparator.comparing(Found::created).reversed()).map(Found::batch).toList();
    }

    @Override
    public ProviderBatch poll(Account account, ProviderBatch batch) {
        JsonNode operation = http.send(http.call(uri(account, "/v1beta/" + batch.name())).header("x-goog-api-key", key(account)).GET().build(),
                "batch poll", ANSWERS).json();
        ProviderBatch now = GeminiBatches.batch(operation, batch.displayName());
        return now.name().isEmpty() ? new ProviderBatch(batch.name(), now.displayName(), now.state(), now.total(), now.succeeded(), now.failed()) : now;
    }

    /**
     * Reads the operation again, as a stream: inline answers are handed on while it is read; a responses file is
     * downloaded afterwards and read line by line. Neither (an expired or failed batch) hands on nothing.
     */
    @Override
    public void results(Account account, ProviderBatch batch, Consumer<BatchLineResult> each) {
        String key = key(account);
        GeminiBatchResults.Output[] output = new GeminiBatchResults.Output[1];
        http.read(http.transfer(uri(account, "/v1beta/" + batch.name())).header("x-goog-api-key", key).GET().build(), "batch results",
                body -> {
                    try (var parser = JSON.createParser(body)) {
                        output[0] = GeminiBatchResults.walk(parser, each);
                    }
                });
        if (output[0].inline() || output[0].responsesFile().isEmpty()) {
            return;
        }
        String file = output[0].responsesFile().get();
        http.read(http.transfer(uri(account, "/download/v1beta/" + file + ":download?alt=media")).header("x-goog-api-key", key).GET().build(),
                "results file download", body -> JsonLines.read(body, GeminiBatchResults.IMAGES,
                        line -> GeminiBatchResults.fileLine(line).ifPresent(each),
                        number -> LOG.log(System.Logger.Level.WARNING, "gemini {0}: line {1} of {2} cannot be read; left out", batch.name(), number, file)));
    }

    @Override
    public void cancel(Account account, ProviderBatch batch) {
        http.send(http.call(uri(account, "/v1beta/" + batch.name() + ":cancel")).header("x-goog-api-key", key(account))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), "batch cancel", Set.of());
    }

    private static URI uri(Account account, String path) {
        return URI.create(JsonHttp.trimSlash(account.baseUrl()) + path);
    }

    /** The account's key, looked up for this call; one that cannot be found now may be found later. */
    private String key(Account account) {
        try {
            return keys.apiKey(account).orElse("");
        } catch (RuntimeException notFound) {
            throw new BatchProviderException("gemini key of account " + account.id() + " not found: " + notFound.getMessage(), true, notFound);
        }
    }
}
