package dev.pacer.cli;

import java.util.Optional;

/** What the command line says for every prompt; a prompt file's own columns win over it. */
record SubmitDefaults(Optional<String> model, Optional<String> resolution, Optional<String> aspectRatio,
        Optional<Integer> count, Optional<String> callbackUrl) {

    static SubmitDefaults from(Arguments args) {
        return new SubmitDefaults(args.value("model"), args.value("resolution"), args.value("aspect-ratio"),
                args.integer("count", 1, 100), args.value("callback-url"));
    }
}
