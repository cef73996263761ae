package io.logitrouter.redrive;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/** Counts what one {@code redrive} run sent and skipped, and prints the result. */
final class RedriveSummary {

    /** Printed in place of a reason code for dead letters without a {@code scoring.error.reason} header. */
    static final String NO_REASON = "(none)";

    private final String deadLetterTopic;
    private final String inputTopic;
    private final String group;
    private final RedriveOptions options;
    private final Map<String, Long> sentByReason = new TreeMap<>();
    private long sent;
    private long skippedByReason;
    private long skippedTruncated;

    RedriveSummary(String deadLetterTopic, String inputTopic, String group, RedriveOptions options) {
        this.deadLetterTopic = deadLetterTopic;
        this.inputTopic = inputTopic;
        this.group = group;
        this.options = options;
    }

    void sent(String reason) {
        sentByReason.merge(reason == null ? NO_REASON : reason, 1L, Long::sum);
        sent++;
    }

    void skippedByReason() {
        skippedByReason++;
    }

    void skippedTruncated() {
        skippedTruncated++;
    }

    long sent() {
        return sent;
    }

    Map<String, Long> sentByReason() {
        return Map.copyOf(sentByReason);
    }

    long skippedByReasonCount() {
        return skippedByReason;
    }

    long skippedTruncatedCount() {
        return skippedTruncated;
    }

    /** Prints the counts and returns exit code 0. */
    int print(PrintStream out) {
        String verb = options.dryRun() ? "Would re-drive" : "Re-drove";
        out.printf("%s %d dead letters from %s to %s (consumer group %s%s).%n", verb, sent, deadLetterTopic,
                inputTopic, group, options.dryRun() ? ", nothing committed" : "");
        sentByReason.forEach((reason, count) -> out.printf("  %-20s %d%n", reason, count));
        if (skippedByReason > 0) {
            out.printf("Skipped %d dead letters with other reasons; later runs read them again only with %s.%n",
                    skippedByReason, RedriveOptions.FROM_BEGINNING);
        }
        if (skippedTruncated > 0) {
            out.printf("Skipped %d dead letters whose value was cut to fit the dead-letter topic.%n", skippedTruncated);
        }
        if (sent >= options.limit()) {
            out.printf("Stopped at %s %d; the next run continues after the last record sent.%n", RedriveOptions.LIMIT,
                    options.limit());
        }
        return DeadLetterRedrive.EXIT_OK;
    }
}
