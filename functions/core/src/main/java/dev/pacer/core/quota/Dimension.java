package dev.pacer.core.quota;

import java.util.Locale;

/** The limits a provider counts, as pacer names them in the pool, in GET /v1/quota and in the quota table. */
public enum Dimension {
    /** Requests in any rolling minute. */
    RPM,
    /** Images in any rolling minute. */
    IPM,
    /** Tokens (input and output) in any rolling minute. */
    TPM,
    /** Requests in a provider day. */
    RPD;

    /** The per-minute dimensions, which pacer paces and learns. */
    public static final java.util.List<Dimension> PER_MINUTE = java.util.List.of(RPM, IPM, TPM);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dimension ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** How much of this dimension a demand spends. */
    public long of(Demand demand) {
        return switch (this) {
            case RPM, RPD -> demand.requests();
            case IPM -> demand.images();
            case TPM -> demand.tokens();
        };
    }
}
