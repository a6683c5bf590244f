package dev.pacer.intake;

import dev.pacer.core.capacity.CapacityPlan;
import dev.pacer.core.capacity.CapacityPlanner;
import dev.pacer.core.capacity.CapacityQuestion;
import dev.pacer.core.catalog.ModelCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * GET /v1/capacity?model=&resolution=&imagesPerMinute=: what the pool allows, the workers and SQS
 * MaximumConcurrency a target pace takes, when the provider day's quota runs out at that pace, and the cost per image;
 * and for the same images on the batch lane its ceiling per day, turnaround and cost.
 */
@Path("/v1/capacity")
@Produces(MediaType.APPLICATION_JSON)
public class CapacityResource {

    private final CapacityPlanner planner;
    private final ModelCatalog catalog;

    public CapacityResource(CapacityPlanner planner, ModelCatalog catalog) {
        this.planner = planner;
        this.catalog = catalog;
    }

    /** The answer's names are a contract (the CLI's {@code plan} reads them); null means none. */
    public record CapacityResponse(String model, String resolution, double imagesPerMinute, double latencySeconds,
            String latencySource, int accounts, CapacityPlan.Ceiling ceiling, int concurrencyNeeded, int sqsMaximumConcurrency,
            double requestsPerMinuteNeeded, Instant dailyQuotaRunsOutAt, CapacityPlan.Cost costPerImage, BatchLane batch,
            List<String> warnings) {

        static CapacityResponse of(CapacityPlan plan) {
            CapacityPlan.Ceiling c = plan.ceiling();
            return new CapacityResponse(plan.model(), plan.resolution().label(), plan.imagesPerMinute(),
                    plan.latency().toMillis() / 1000.0, plan.latencySource().name().toLowerCase(Locale.ROOT), plan.accounts(),
                    new CapacityPlan.Ceiling(round(c.imagesPerMinute()), c.imagesPerDay(), c.requestsPerMinute(), c.requestsPerDay()),
                    plan.concurrencyNeeded(), plan.sqsMaximumConcurrency(), round(plan.requestsPerMinuteNeeded()),
                    plan.dailyQuotaRunsOutAt().orElse(null), plan.costPerImage(), BatchLane.of(plan.batch()), plan.warnings());
        }
    }

    /** The batch lane's answer for the same images (docs/batch.md); costPerImage and expectedBy are null where it has none. */
    public record BatchLane(boolean available, String reason, int accounts, long imagesPerDay, double turnaroundHours,
            Instant expectedBy, CapacityPlan.Cost costPerImage) {

        static BatchLane of(CapacityPlan.BatchLane lane) {
            return new BatchLane(lane.available(), lane.reason(), lane.accounts(), lane.imagesPerDay(),
                    round(lane.turnaround().toMinutes() / 60.0), lane.expectedBy().orElse(null), lane.costPerImage().orElse(null));
        }
    }

    @GET
    public CapacityResponse capacity(@QueryParam("model") String model, @QueryParam("resolution") String resolution,
            @QueryParam("imagesPerMinute") String imagesPerMinute) {
        return CapacityResponse.of(planner.plan(CapacityQuestion.parse(model, resolution, imagesPerMinute, catalog)));
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }
}
