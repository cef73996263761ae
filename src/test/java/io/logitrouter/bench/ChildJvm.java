package io.logitrouter.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started by the benchmark, so that its CPU time is measured apart from the
 * load generator's. Output goes to a log file.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Starts {@code java -Xmx1g <arguments>} with output appended to {@code log}. */
    static ChildJvm start(String name, Path log, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildJvm(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to start " + name + ": " + command, e);
        }
    }

    /** Returns the CPU time the process has used so far, user and system together. */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the CPU time of " + name + " is not available"));
    }

    /**
     * Returns the CPU time of the process's threads so far, summed by kind: the Kafka Streams
     * thread (which also runs the consumer), the producer's network thread, garbage collection,
     * the JIT compilers, and everything else. Read from {@code /proc}, so it is empty on other systems;
     * Linux counts in ticks of 10 ms.
     */
    Map<String, Duration> threadCpuTimes() {
        Map<String, Duration> times = new TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                String stat = Files.readString(thread.resolve("stat"));
                // The thread name, in parentheses, may contain spaces, but the fields after it do not.
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                times.merge(threadKind(name), Duration.ofMillis(ticks * 10), Duration::plus);
            }
        } catch (IOException | RuntimeException e) {
            // A thread may end while it is read, and other systems have no /proc, so return what was read.
        }
        return times;
    }

    private static String threadKind(String name) {
        if (name.contains("StreamThre") || name.startsWith("bench-")) {
            return "stream";
        }
        if (name.startsWith("kafka-producer")) {
            return "producer";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
            return "gc";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "jit";
        }
        return "other";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM and waits for the process to exit, then kills it after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
