package dev.pacer.localrun.iam;

import java.util.List;

/**
 * One statement of a function's role, reduced to what moto can check: the actions it allows. {@code sid} is the
 * template's Sid, or the name of the SAM policy template or managed policy the actions come from.
 */
public record RoleStatement(String sid, List<String> actions) {

    public RoleStatement {
        actions = List.copyOf(actions);
    }
}
