package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Saves finished jobs' images as {@code DIR/<name or id>/<n>.<ext>}: skips files already there with the right
 * size, writes each through a temporary file and checks its size against the API's {@code bytes}.
 */
final class DownloadCommand extends Command {

    DownloadCommand() {
        super(new Spec("download",
                "download (BATCH | PROMPT-FILE | ID...) --to DIR",
                """
                  Saves each SUCCEEDED job's images as DIR/<name>/<n>.<ext> (the line's name, else the job id), skipping
                  those already there. Exits 1 if a download failed or some job has not finished yet.
                  --concurrency N  downloads in flight (default 4)
                """,
                Set.of(), Set.of("to", "concurrency")));
    }

    /** One image to save. */
    private record Image(URI url, Path target, long bytes) {
    }

    private enum Saved { DOWNLOADED, ALREADY_THERE }

    @Override
    public int run(Arguments args, Cli cli) {
        List<BatchFile.Entry> jobs = JobSelection.resolve(args.positionals());
        Path to = Path.of(args.value("to").orElseThrow(() -> new UsageException("--to DIR is required")));
        int concurrency = args.integer("concurrency", 1, 32).orElse(4);
        PacerApi api = Connection.open(args, cli);
        Map<String, JobFetcher.Fetched> fetched;
        try (JobFetcher fetcher = new JobFetcher(api, concurrency)) {
            fetched = fetcher.fetch(jobs.stream().map(BatchFile.Entry::id).toList());
        }
        Map<String, String> folders = folders(jobs);
        List<Image> images = new ArrayList<>();
        int unfinished = 0;
        int failed = 0;
        int cancelled = 0;
        int problems = 0;
        for (BatchFile.Entry entry : jobs) {
            JobFetcher.Fetched result = fetched.get(entry.id());
            if (result instanceof JobFetcher.Found found) {
                String status = found.job().path("status").asText();
                if (status.equals(JobStatus.SUCCEEDED)) {
                    images.addAll(imagesOf(found.job(), to.resolve(folders.get(entry.id()))));
                } else if (status.equals(JobStatus.FAILED)) {
                    failed++;
                } else if (status.equals(JobStatus.CANCELLED)) {
                    cancelled++;
                } else {
                    unfinished++;
                }
            } else {
                problems++;
                cli.err().println(entry.id() + ": " + JobFetcher.whyNot(result));
            }
        }
        int downloaded = 0;
        int alreadyThere = 0;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Saved>> saving = images.stream().map(image -> pool.submit(() -> save(api, image))).toList();
            for (int i = 0; i < saving.size(); i++) {
                try {
                    if (Concurrency.join(saving.get(i)) == Saved.DOWNLOADED) {
                        downloaded++;
                    } else {
                        alreadyThere++;
                    }
                } catch (ApiProblem | UncheckedIOException | IllegalStateException e) {
                    problems++;
                    cli.err().println(images.get(i).target() + ": " + e.getMessage());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        cli.out().println("downloaded " + downloaded + " images to " + to + (alreadyThere > 0 ? ", " + alreadyThere + " already there" : "")
                + (failed > 0 ? "; " + ProgressLine.jobs(failed) + " FAILED (no images)" : "")
                + (cancelled > 0 ? "; " + ProgressLine.jobs(cancelled) + " CANCELLED (no images)" : "")
                + (unfinished > 0 ? "; " + ProgressLine.jobs(unfinished) + " not finished yet (pacer wait first)" : "")
                + (problems > 0 ? "; " + problems + " problems above" : ""));
        return problems == 0 && unfinished == 0 ? Pacer.OK : Pacer.FAILED;
    }

    private static List<Image> imagesOf(JsonNode job, Path folder) {
        List<Image> images = new ArrayList<>();
        JsonNode list = job.path("images");
        for (int n = 0; n < list.size(); n++) {
            JsonNode image = list.get(n);
            images.add(new Image(URI.create(image.path("url").asText()), folder.resolve(n + "." + extension(image)),
                    image.path("bytes").asLong(-1)));
        }
        return images;
    }

    private static Saved save(PacerApi api, Image image) throws IOException {
        if (Files.isRegularFile(image.target()) && (image.bytes() < 0 || Files.size(image.target()) == image.bytes())) {
            return Saved.ALREADY_THERE;
        }
        Files.createDirectories(image.target().getParent());
        Path partial = image.target().resolveSibling(image.target().getFileName() + ".part");
        try {
            long size = api.download(image.url(), partial);
            if (image.bytes() >= 0 && size != image.bytes()) {
                throw new IllegalStateException("got " + size + " bytes, the API says " + image.bytes());
            }
            Files.move(partial, image.target(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Saved.DOWNLOADED;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** "png" from the key generations/{id}/0.png, else from the content type. */
    static String extension(JsonNode image) {
        String key = image.path("key").asText("");
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        if (dot > slash && dot < key.length() - 1) {
            return safe(key.substring(dot + 1).toLowerCase(Locale.ROOT));
        }
        return switch (image.path("contentType").asText("")) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            case "image/webp" -> "webp";
            default -> "bin";
        };
    }

    /** A job's folder: its name when no other job of the selection has it, else its id. */
    static Map<String, String> folders(List<BatchFile.Entry> jobs) {
        Map<String, Integer> nameUses = new HashMap<>();
        jobs.forEach(entry -> entry.name().map(DownloadCommand::safe).ifPresent(name -> nameUses.merge(name, 1, Integer::sum)));
        Map<String, String> folders = new HashMap<>();
        for (BatchFile.Entry entry : jobs) {
            String folder = entry.name().map(DownloadCommand::safe).filter(name -> nameUses.get(name) == 1).orElse(safe(entry.id()));
            folders.put(entry.id(), folder);
        }
        return folders;
    }

    /** Letters, digits, '-', '_' and inner dots; never a path of its own ("..", "a/b"). */
    static String safe(String name) {
        String cleaned = name.strip().replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
        if (cleaned.length() > 100) {
            cleaned = cleaned.substring(0, 100);
        }
        return cleaned.isEmpty() ? "_" : cleaned;
    }
}
