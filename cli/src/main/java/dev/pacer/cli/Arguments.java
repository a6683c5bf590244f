package dev.pacer.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One command's arguments: positionals, {@code --name value} / {@code --name=value} options and {@code --flag}s.
 * Each command names the options it knows, so a typo is an error rather than silently ignored.
 */
final class Arguments {

    private final List<String> positionals;
    private final Map<String, String> values;
    private final Set<String> flags;

    private Arguments(List<String> positionals, Map<String, String> values, Set<String> flags) {
        this.positionals = positionals;
        this.values = values;
        this.flags = flags;
    }

    /**
     * @param knownFlags   options without a value
     * @param knownValued  options taking a value
     */
    static Arguments parse(List<String> args, Set<String> knownFlags, Set<String> knownValued) {
        List<String> positionals = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        boolean onlyPositionals = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (onlyPositionals || !arg.startsWith("--")) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (knownFlags.contains(name)) {
                if (equals >= 0) {
                    throw new UsageException("--" + name + " takes no value");
                }
                flags.add(name);
            } else if (knownValued.contains(name)) {
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return new Arguments(List.copyOf(positionals), Map.copyOf(values), Set.copyOf(flags));
    }

    List<String> positionals() {
        return positionals;
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    Optional<Integer> integer(String name, int min, int max) {
        return value(name).map(text -> {
            try {
                int number = Integer.parseInt(text.trim());
                if (number < min || number > max) {
                    throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + number);
                }
                return number;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a whole number, not '" + text + "'");
            }
        });
    }

    Optional<Double> decimal(String name) {
        return value(name).map(text -> {
            try {
                double number = Double.parseDouble(text.trim());
                if (!(number > 0) || Double.isInfinite(number)) {
                    throw new UsageException("--" + name + " must be a positive number, not " + text);
                }
                return number;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a number, not '" + text + "'");
            }
        });
    }
}
