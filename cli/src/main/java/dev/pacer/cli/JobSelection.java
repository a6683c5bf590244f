package dev.pacer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs a command works on, named by batch files, by the prompt file they were submitted from (its batch
 * file sits next to it), or by job ids.
 */
final class JobSelection {

    private JobSelection() {
    }

    static List<BatchFile.Entry> resolve(List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new UsageException("name a batch file (written by submit, e.g. prompts.jsonl.pacer.jsonl), its prompt file, or job ids");
        }
        List<BatchFile.Entry> jobs = new ArrayList<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isRegularFile(path)) {
                jobs.addAll(new BatchFile(batchFor(path)).read());
            } else if (PromptFile.looksLikePromptFile(argument)) {
                throw new UsageException("no such file: " + argument);
            } else {
                jobs.add(new BatchFile.Entry(0, Optional.empty(), argument, 1));
            }
        }
        Map<String, BatchFile.Entry> byId = new LinkedHashMap<>();
        jobs.forEach(job -> byId.putIfAbsent(job.id(), job));
        return List.copyOf(byId.values());
    }

    private static Path batchFor(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".pacer.jsonl") || !PromptFile.looksLikePromptFile(name)) {
            return file;
        }
        Path batch = BatchFile.besidePromptFile(file);
        if (!Files.isRegularFile(batch)) {
            throw new UsageException(file + " has no batch file next to it (" + batch.getFileName() + "): submit it first");
        }
        return batch;
    }
}
