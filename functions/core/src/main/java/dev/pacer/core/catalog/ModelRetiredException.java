package dev.pacer.core.catalog;

import dev.pacer.core.job.InvalidRequestException;

/** A request named a model the provider retired: it can never run as sent, and the successor says what to ask for. */
public final class ModelRetiredException extends InvalidRequestException {

    private final String named;
    private final Retirement retirement;

    public ModelRetiredException(String field, String named, Retirement retirement) {
        super(field, named + (named.equals(retirement.id()) ? "" : " (" + retirement.id() + ")") + " was retired on "
                + retirement.retiredOn() + "; use " + retirement.successor() + " instead");
        this.named = named;
        this.retirement = retirement;
    }

    /** The name the request used: the retired id, or an alias of it. */
    public String named() {
        return named;
    }

    public Retirement retirement() {
        return retirement;
    }
}
