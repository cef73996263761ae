package io.logitrouter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code GET /metrics}, {@code /health/live} and {@code /health/ready} with the JDK's
 * built-in HTTP server, which needs no further dependency and is plenty for scrapes and probes.
 *
 * <p>Health endpoints return 200 or 503 with a one-line body naming the Streams state.
 * {@code /metrics} returns the Prometheus text format, or OpenMetrics when the scraper requests
 * it in its {@code Accept} header.
 */
public final class HttpEndpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the server.
     *
     * @param host the address to bind, such as {@code 0.0.0.0}
     * @param port the port, or 0 for any free port
     */
    public static HttpEndpoints start(String host, int port, PrometheusMeterRegistry registry, StreamsHealth health) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to bind the HTTP endpoints to " + host + ":" + port
                    + " (set scoring.http.port to a free port)", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "http-endpoints");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> serveMetrics(exchange, registry));
        server.createContext("/health/live", exchange -> serveHealth(exchange, health::isLive, health));
        server.createContext("/health/ready", exchange -> serveHealth(exchange, health::isReady, health));
        server.start();
        log.info("HTTP endpoints listening on {}:{} (/metrics, /health/live, /health/ready)",
                host, server.getAddress().getPort());
        return new HttpEndpoints(server, executor);
    }

    /** Returns the bound port, useful when the configured port was 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void serveMetrics(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        if (!allowGet(exchange)) {
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        byte[] body = registry.scrape(contentType).getBytes(StandardCharsets.UTF_8);
        respond(exchange, 200, contentType, body);
    }

    private static void serveHealth(HttpExchange exchange, BooleanSupplier check, StreamsHealth health)
            throws IOException {
        if (!allowGet(exchange)) {
            return;
        }
        boolean ok = check.getAsBoolean();
        String body = (ok ? "UP " : "DOWN ") + health.describe() + "\n";
        respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean allowGet(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }
}
