package dev.pacer.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the cost program from rotting: it prices every resolution and the three seed models (no figure is asserted). */
class CostPerImageTest {

    @Test
    void pricesEveryResolutionAndTheSeedModels() {
        List<CostPerImage.Row> rows = CostPerImage.rows(1024, 1024, 1, 300);

        assertEquals(8, rows.size(), "0.5K, 1K, 2K, 4K fast and slow, three seed models");
        assertTrue(rows.stream().allMatch(r -> r.bill().totalWithoutEgress() > 0));
        assertEquals(3, rows.stream().filter(r -> !Double.isNaN(r.providerPrice())).count());
    }

    @Test
    void aBusierAccountMakesABiggerLedgerItem() {
        assertTrue(CostPerImage.ledgerItemKb(300) > CostPerImage.ledgerItemKb(10));
    }
}
