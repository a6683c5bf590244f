package dev.pacer.cli;

import java.util.Optional;

/** What the command line says for every prompt; a prompt file's own columns win over it. */
record SubmitDefaults(Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio,
        Optional<Integer> count, Optional<String> callbackUrl, Optional<String> lane, Optional<String> deadline) {

    /** Defaults without a lane or a deadline. */
    SubmitDefaults(Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio, Optional<Integer> count,
            Optional<String> callbackUrl) {
        this(model, resolution, aspectRatio, count, callbackUrl, Optional.empty(), Optional.empty());
    }

    static SubmitDefaults from(Arguments args) {
        return new SubmitDefaults(args.value("model"), args.value("resolution"), args.value("aspect-ratio"),
                args.integer("count", 1, 100), args.value("callback-url"), args.value("lane"), args.value("deadline"));
    }
}
