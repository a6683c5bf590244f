package dev.pacer.core.port;

import dev.pacer.core.usecase.GenerationView;

import java.net.URI;

/** The caller's HTTP endpoint a finished job is POSTed to (signed), answered or not. */
public interface CallbackEndpoint {

    CallbackAnswer post(URI url, GenerationView view);

    /** What the endpoint made of one POST. */
    sealed interface CallbackAnswer {

        /** An HTTP answer: 2xx means delivered, anything else is tried again. */
        record Answered(int status) implements CallbackAnswer {
        }

        /** No HTTP answer at all: refused, timed out, TLS failure. */
        record Unreachable(String reason) implements CallbackAnswer {
        }
    }
}
