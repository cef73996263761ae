package io.logitrouter.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The service, {@code logit-router.jar run}, in a JVM of its own with its HTTP endpoints on 127.0.0.1. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ManagedProcess process;
    private final int httpPort;

    private ServiceProcess(ManagedProcess process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * Starts the service with the given settings as {@code KEY=VALUE} arguments, on a free HTTP
     * port of 127.0.0.1 unless the settings name one.
     */
    static ServiceProcess start(Path logFile, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putIfAbsent("scoring.http.host", "127.0.0.1");
        all.putIfAbsent("scoring.http.port", String.valueOf(BrokerProcess.freePort()));
        List<String> args = new ArrayList<>();
        args.add("run");
        all.forEach((key, value) -> args.add(key + "=" + value));
        return new ServiceProcess(ManagedProcess.startJar("service", logFile, args),
                Integer.parseInt(all.get("scoring.http.port")));
    }

    ManagedProcess process() {
        return process;
    }

    /** Returns the HTTP status of {@code GET path}, or -1 when the endpoint does not respond. */
    int status(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until {@code GET path} returns {@code status}, failing early if the process exits. */
    void awaitStatus(String path, int status, Duration timeout) {
        Waits.until(path + " to return " + status + " from the service", timeout, () -> {
            requireAlive();
            return status(path) == status;
        }, () -> "last log lines:\n" + process.logTail(40));
    }

    void awaitReady(Duration timeout) {
        awaitStatus("/health/ready", 200, timeout);
    }

    /** Throws if the process has exited. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the service exited with code " + process.awaitExit(Duration.ZERO)
                    + "; last log lines:\n" + process.logTail(60));
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
