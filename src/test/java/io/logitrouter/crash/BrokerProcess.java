package io.logitrouter.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The single-node KRaft broker of {@code logit-router.jar broker}, in a JVM of its own, with a
 * fixed port and data directory so that it can be stopped and started again with its data.
 */
final class BrokerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String READY_LINE = "DEVELOPMENT MODE: single-node Kafka broker at";

    private final Path workDir;
    private final int port;
    private ManagedProcess process;
    private int starts;

    private BrokerProcess(Path workDir, int port) {
        this.workDir = workDir;
        this.port = port;
    }

    /** Starts a broker on a free port with its data under {@code workDir}; returns once it serves clients. */
    static BrokerProcess start(Path workDir) {
        return start(workDir, freePort());
    }

    /** Starts a broker on the given port of 127.0.0.1; returns once it serves clients. */
    static BrokerProcess start(Path workDir, int port) {
        BrokerProcess broker = new BrokerProcess(workDir, port);
        broker.start();
        return broker;
    }

    /** Starts the broker again on the same port and data directory; returns once it serves clients. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker already runs as pid " + process.pid());
        }
        starts++;
        process = ManagedProcess.startJar("broker", workDir.resolve("broker-" + starts + ".log"), List.of(
                "broker",
                "scoring.embedded.port=" + port,
                "scoring.embedded.dir=" + workDir.resolve("broker-data")));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!process.log().contains(READY_LINE)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with code " + process.awaitExit(Duration.ZERO)
                        + " during start-up; last log lines:\n" + process.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not start within " + START_TIMEOUT
                        + "; last log lines:\n" + process.logTail(40));
            }
            Waits.pause();
        }
    }

    /** Sends SIGTERM, waits for the broker to exit and returns its exit code. */
    int stop() {
        process.terminate();
        return process.awaitExit(STOP_TIMEOUT);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    /** Returns a port that was free a moment ago on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
