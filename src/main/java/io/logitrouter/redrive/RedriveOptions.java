package io.logitrouter.redrive;

import io.logitrouter.errors.DeadLetterReason;
import org.apache.kafka.common.config.ConfigException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options of the {@code redrive} command, separated from the configuration arguments.
 *
 * @param reasons the reason codes to re-drive; empty for every reason
 * @param limit the maximum number of records to send, or {@link Long#MAX_VALUE}
 * @param fromBeginning whether to read from the start of the dead-letter topic instead of the
 *     offsets that earlier runs committed
 * @param dryRun whether to only count what would be sent, sending and committing nothing
 * @param configArguments the remaining arguments: {@code --config FILE} and {@code KEY=VALUE}
 */
record RedriveOptions(Set<DeadLetterReason> reasons, long limit, boolean fromBeginning, boolean dryRun,
        List<String> configArguments) {

    static final String REASON = "--reason";
    static final String LIMIT = "--limit";
    static final String FROM_BEGINNING = "--from-beginning";
    static final String DRY_RUN = "--dry-run";

    RedriveOptions {
        reasons = reasons.isEmpty() ? Set.of() : Set.copyOf(reasons);
        configArguments = List.copyOf(configArguments);
    }

    /**
     * Parses the arguments after {@code redrive}.
     *
     * @throws ConfigException if {@code --limit} is repeated or an option has a missing or invalid value
     */
    static RedriveOptions parse(List<String> args) {
        Set<DeadLetterReason> reasons = EnumSet.noneOf(DeadLetterReason.class);
        long limit = Long.MAX_VALUE;
        boolean limitSet = false;
        boolean fromBeginning = false;
        boolean dryRun = false;
        List<String> configArguments = new ArrayList<>();

        for (int i = 0; i < args.size(); i++) {
            String argument = args.get(i);
            String name = argument.contains("=") && argument.startsWith("--") ? argument.substring(0, argument.indexOf('='))
                    : argument;
            switch (name) {
                case REASON -> {
                    String value = valueOf(args, i, REASON);
                    i += argument.contains("=") ? 0 : 1;
                    reasons.addAll(parseReasons(value));
                }
                case LIMIT -> {
                    if (limitSet) {
                        throw new ConfigException(LIMIT + " is given twice. Pass it once.");
                    }
                    String value = valueOf(args, i, LIMIT);
                    i += argument.contains("=") ? 0 : 1;
                    limit = parseLimit(value);
                    limitSet = true;
                }
                case FROM_BEGINNING -> fromBeginning = true;
                case DRY_RUN -> dryRun = true;
                default -> configArguments.add(argument);
            }
        }
        return new RedriveOptions(reasons, limit, fromBeginning, dryRun, configArguments);
    }

    /** Returns whether a dead letter with this reason code, or none (null), is to be re-driven. */
    boolean matches(String reasonCode) {
        return reasons.isEmpty() || reasons.stream().anyMatch(reason -> reason.code().equals(reasonCode));
    }

    private static String valueOf(List<String> args, int index, String option) {
        String argument = args.get(index);
        if (argument.startsWith(option + "=")) {
            return argument.substring(option.length() + 1);
        }
        if (index + 1 >= args.size() || args.get(index + 1).startsWith("--")) {
            throw new ConfigException("Missing value after " + option + ". Pass " + option + " "
                    + (option.equals(LIMIT) ? "N, a positive whole number" : "CODE[,CODE...]") + ".");
        }
        return args.get(index + 1);
    }

    private static Set<DeadLetterReason> parseReasons(String value) {
        Set<DeadLetterReason> reasons = EnumSet.noneOf(DeadLetterReason.class);
        for (String code : value.split(",", -1)) {
            String trimmed = code.trim();
            DeadLetterReason reason = Arrays.stream(DeadLetterReason.values())
                    .filter(candidate -> candidate.code().equals(trimmed))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException("Invalid " + REASON + " value '" + trimmed
                            + "': not a reason code. Valid codes: " + Arrays.stream(DeadLetterReason.values())
                            .map(DeadLetterReason::code).collect(Collectors.joining(", ")) + "."));
            reasons.add(reason);
        }
        return reasons;
    }

    private static long parseLimit(String value) {
        long limit;
        try {
            limit = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid " + LIMIT + " value '" + value + "': expected a positive whole number.");
        }
        if (limit < 1) {
            throw new ConfigException("Invalid " + LIMIT + " value '" + value + "': expected a positive whole number.");
        }
        return limit;
    }
}
