package dev.pacer.aws.quota;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.JobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DynamoDbParkedJobsTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Test
    void parkedJobsComeOutDueFirstAndOnlyOnceReleased() {
        DynamoDbParkedJobs parked = new DynamoDbParkedJobs(moto.clients().dynamoDb(), moto.resources().physicalId("QuotaTable"));
        Instant dayTurns = Instant.parse("2026-06-02T07:00:00Z");
        JobId later = JobId.random();
        JobId first = JobId.random();
        JobId nextWeek = JobId.random();
        parked.park(later, dayTurns.plusSeconds(5));
        parked.park(first, dayTurns);
        parked.park(nextWeek, dayTurns.plusSeconds(7 * 86_400));

        List<DynamoDbParkedJobs.Parked> due = parked.dueBy(dayTurns.plusSeconds(900), 100);

        assertEquals(List.of(first, later), due.stream().map(DynamoDbParkedJobs.Parked::id).toList());
        assertEquals(dayTurns, due.get(0).releaseAt());
        parked.remove(due.get(0));
        assertEquals(List.of(later), parked.dueBy(dayTurns.plusSeconds(900), 100).stream().map(DynamoDbParkedJobs.Parked::id).toList());
    }
}
