package dev.pacer.bench;

import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.usecase.PriceTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the cost program from rotting: it prices every resolution and every priced model of the catalog (no figure is asserted). */
class CostPerImageTest {

    @Test
    void pricesEveryResolutionAndEveryModelTheCatalogPrices() {
        List<CostPerImage.Row> rows = CostPerImage.rows(1024, 1024, 1, 300);
        ModelCatalog catalog = ModelCatalogs.bundled();
        PriceTable prices = PriceTable.of(catalog);
        long priced = catalog.models().stream().mapToLong(m -> m.resolutions().stream().filter(r -> prices.lists(m.id(), r)).count()).sum();

        assertTrue(priced >= 3, "the seed's three prices at least");
        assertEquals(5 + priced, rows.size(), "0.5K, 1K, 2K, 4K fast and slow, then each priced model and resolution");
        assertTrue(rows.stream().allMatch(r -> r.bill().totalWithoutEgress() > 0));
        assertEquals(priced, rows.stream().filter(r -> !Double.isNaN(r.providerPrice())).count());
        assertTrue(rows.stream().filter(r -> !Double.isNaN(r.providerPrice())).allMatch(r -> r.providerPrice() > 0));
    }

    @Test
    void aBusierAccountMakesABiggerLedgerItem() {
        assertTrue(CostPerImage.ledgerItemKb(300) > CostPerImage.ledgerItemKb(10));
    }
}
