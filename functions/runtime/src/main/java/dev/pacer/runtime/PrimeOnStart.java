package dev.pacer.runtime;

import dev.pacer.aws.priming.SdkPriming;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * At start-up, what a first event would pay: the function's adapter calls run once through the AWS SDK against an
 * in-process answer (no AWS call), then its warm-up. Lambda runs init on a full vCPU and SnapStart snapshots it.
 * PACER_PRIME_ON_START=false turns it off.
 */
@ApplicationScoped
public class PrimeOnStart {

    private static final Logger LOG = Logger.getLogger(PrimeOnStart.class);

    private volatile SdkPriming.Report report;

    void prime(@Observes StartupEvent start, SharedConfig config, Instance<StartupPriming> function) {
        if (!config.primeOnStart() || !function.isResolvable() || !function.get().applies()) {
            return;
        }
        StartupPriming priming = function.get();
        report = SdkPriming.prime(priming.calls(), priming::warmUp);
        if (report.allPrimed()) {
            LOG.info(report);
        } else {
            LOG.warnf("%s (incomplete: the first event pays for the rest)", report);
        }
    }

    /** What priming at start-up did; empty when it was off, or not for this handler. */
    public Optional<SdkPriming.Report> report() {
        return Optional.ofNullable(report);
    }
}
