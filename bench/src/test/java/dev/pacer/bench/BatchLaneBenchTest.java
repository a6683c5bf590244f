package dev.pacer.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the batch-lane benchmark from rotting: three images per lane on the local run (no figure is asserted but that they exist). */
class BatchLaneBenchTest {

    @Test
    void measuresEachLane() throws Exception {
        List<BatchLaneBench.Row> rows = BatchLaneBench.run(3, Duration.ofHours(36), List.of("sync", "batch"), line -> { });

        assertEquals(List.of("sync", "batch"), rows.stream().map(BatchLaneBench.Row::lane).toList());
        assertTrue(rows.stream().allMatch(row -> row.awsCalls() > 0), rows::toString);
        assertTrue(rows.get(1).listCostUsd().compareTo(rows.get(0).listCostUsd()) < 0, rows::toString);
        System.out.println(BatchLaneBench.table(rows));
    }
}
