package dev.pacer.localrun.moto;

import java.util.concurrent.TimeUnit;

/** Stopping the child processes the local run starts (moto, function instances). */
public final class ChildProcesses {

    /** Asks the process to stop, and kills it if it has not within five seconds. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private ChildProcesses() {
    }
}
