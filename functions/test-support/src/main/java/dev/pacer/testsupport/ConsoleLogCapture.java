package dev.pacer.testsupport;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Formatter;
import java.util.logging.Handler;

/**
 * The log lines the running application writes while the capture is open, formatted exactly as its console
 * handler formats them (the console is what Lambda sends to CloudWatch Logs): the capture borrows that handler's
 * formatter, so a test sees what the deployed function would print.
 */
public final class ConsoleLogCapture implements AutoCloseable {

    private final Logger root = LogContext.getLogContext().getLogger("");
    private final List<String> lines = new ArrayList<>();
    private final ExtHandler handler = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            String line = getFormatter().format(record);
            synchronized (lines) {
                lines.add(line);
            }
        }
    };

    private ConsoleLogCapture(Formatter consoleFormatter) {
        handler.setFormatter(consoleFormatter);
        root.addHandler(handler);
    }

    public static ConsoleLogCapture start() {
        Logger root = LogContext.getLogContext().getLogger("");
        Formatter formatter = consoleHandler(root.getHandlers())
                .orElseThrow(() -> new IllegalStateException("the application has no console log handler"))
                .getFormatter();
        return new ConsoleLogCapture(formatter);
    }

    /** The lines so far, one per log record (a record's line ends with its own line separator, stripped here). */
    public List<String> lines() {
        synchronized (lines) {
            return lines.stream().map(String::strip).toList();
        }
    }

    private static Optional<Handler> consoleHandler(Handler[] handlers) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler) {
                return Optional.of(handler);
            }
            if (handler instanceof ExtHandler parent) {
                Optional<Handler> nested = consoleHandler(parent.getHandlers());
                if (nested.isPresent()) {
                    return nested;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        root.removeHandler(handler);
    }
}
