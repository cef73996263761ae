package io.logitrouter.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@code logit-router.jar}, with its output in a log file.
 *
 * <p>Every process started here is recorded and killed when the test JVM exits, so a failed
 * test leaves no broker or service behind. Only processes started through this class are ever
 * signalled, each by its own {@link Process} handle.
 */
final class ManagedProcess implements AutoCloseable {

    /** Heap of each child JVM: enough for the broker and the service, small enough for CI. */
    private static final String HEAP = "-Xmx384m";
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "kill-child-processes"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code java -jar logit-router.jar} with the given arguments.
     *
     * @param name a short name for messages, such as {@code service}
     * @param logFile where standard output and standard error go; appended to
     */
    static ManagedProcess startJar(String name, Path logFile, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(HEAP);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // Settings come only from the arguments, never from the variables of the machine.
            builder.environment().keySet().removeIf(key -> key.startsWith("SCORING_") || key.startsWith("KAFKA_"));
            Process process = builder.start();
            STARTED.add(process);
            return new ManagedProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to start " + name + ": " + command, e);
        }
    }

    /**
     * Returns the packaged service jar: the {@code logit-router.jar} system property if set,
     * else {@code target/logit-router.jar}, which Maven builds before it runs the ITs.
     */
    static Path jar() {
        Path jar = Path.of(System.getProperty("logit-router.jar", "target/logit-router.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar.toAbsolutePath()
                    + ": build it with 'mvn -B package -DskipTests' or set -Dlogit-router.jar=PATH");
        }
        return jar;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGKILL and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        STARTED.remove(process);
    }

    /** Sends SIGTERM and returns at once. */
    void terminate() {
        process.destroy();
    }

    /**
     * Waits for the process to exit and returns its exit code.
     *
     * @throws IllegalStateException if it is still running after the timeout
     */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") did not exit within " + timeout
                        + "; last log lines:\n" + logTail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        STARTED.remove(process);
        return process.exitValue();
    }

    /** Returns the whole log so far. */
    String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the last lines of the log, for failure messages. */
    String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        STARTED.remove(process);
    }
}
