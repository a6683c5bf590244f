package dev.pacer.aws.catalog;

import dev.pacer.core.catalog.ModelCatalog;

/**
 * The catalog as its files say (the bundled one, and an operator's override), before the account pool's own models
 * are added; {@code sources} says which files, for the start-up log.
 */
public record ConfiguredCatalog(ModelCatalog catalog, String sources) {
}
