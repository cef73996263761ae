package io.logitrouter.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.time.Duration;

/**
 * A real single-node Kafka broker in KRaft mode, running inside this JVM on 127.0.0.1.
 *
 * <p>The node is both controller and broker. Its storage is formatted with Kafka's own
 * {@code kafka.tools.StorageTool} before start-up, as an operator would do on a new node,
 * and every internal topic uses replication factor 1, so transactions
 * ({@code exactly_once_v2}) work on it. It is meant for development, tests and the quick
 * start; production deployments point {@code bootstrap.servers} at a real cluster.
 *
 * <p>A broker given no data directory uses a new temporary one and deletes it on
 * {@link #close()}. A broker given a directory keeps its data there across restarts.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final int requestedPort;
    private final Optional<Path> requestedDir;

    private Path dataDir;
    private boolean deleteDataDirOnClose;
    private int port;
    private KafkaRaftServer server;

    /**
     * Creates a broker that is not started yet.
     *
     * @param port the client port on 127.0.0.1, or 0 for any free port
     * @param dataDir where the broker keeps its log; empty for a new temporary directory
     */
    public EmbeddedKafkaBroker(int port, Optional<Path> dataDir) {
        this.requestedPort = port;
        this.requestedDir = dataDir;
    }

    /** Formats the storage if it is new and starts the broker; returns once it accepts clients. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("the embedded broker is already started on " + bootstrapServers());
        }
        try {
            dataDir = requestedDir.isPresent() ? Files.createDirectories(requestedDir.get())
                    : Files.createTempDirectory("logit-router-kafka-");
            deleteDataDirOnClose = requestedDir.isEmpty();
            port = requestedPort == 0 ? freePort() : requestedPort;
            int controllerPort = freePort();

            Properties properties = brokerProperties(port, controllerPort, dataDir);
            formatStorage(properties, dataDir);

            server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to prepare the embedded broker's data directory " + dataDir, e);
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("failed to start the embedded Kafka broker on " + HOST + ":" + requestedPort
                    + " (is the port in use? set scoring.embedded.port to another port, or 0 for any free port): "
                    + e.getMessage(), e);
        }
        awaitReady();
        log.info("Embedded Kafka broker started: bootstrap.servers={}, data directory {}", bootstrapServers(), dataDir);
        return this;
    }

    /** Returns the address clients connect to, such as {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates each topic that does not exist yet, with replication factor 1.
     *
     * @param partitionsByTopic the partition count for each topic name
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    log.info("Created topic {} on the embedded broker", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("failed to create topic " + entry.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + partitionsByTopic.keySet(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out after " + ADMIN_TIMEOUT + " creating topics " + partitionsByTopic.keySet(), e);
        }
    }

    /** Creates each of the topics that does not exist yet, all with the same partition count. */
    public void createTopics(Collection<String> topics, int partitions) {
        Map<String, Integer> partitionsByTopic = new LinkedHashMap<>();
        topics.forEach(topic -> partitionsByTopic.put(topic, partitions));
        createTopics(partitionsByTopic);
    }

    /** Stops the broker and, for a temporary data directory, deletes it. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (server != null) {
            log.info("Stopping the embedded Kafka broker on {}", bootstrapServers());
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (deleteDataDirOnClose && dataDir != null) {
            deleteRecursively(dataDir);
            dataDir = null;
        }
    }

    private static Properties brokerProperties(int port, int controllerPort, Path dataDir) {
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        properties.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", dataDir.toString());

        // One node: every internal topic must fit on it, transactions included.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "4");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "4");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("default.replication.factor", "1");
        properties.put("min.insync.replicas", "1");

        // The log cleaner reserves 128 MiB by default; 2 MiB is plenty for a development broker.
        properties.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("auto.create.topics.enable", "false");
        return properties;
    }

    /** Runs {@code kafka-storage.sh format} in-process, unless the directory is already formatted. */
    private static void formatStorage(Properties properties, Path dataDir) throws IOException {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            log.info("Reusing the formatted embedded broker storage in {}", dataDir);
            return;
        }
        Path configFile = dataDir.resolve("embedded-broker.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            properties.store(out, "Written by logit-router for its embedded broker");
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(new String[] {
                "format", "--cluster-id", clusterId, "--config", configFile.toString()
            }, printStream);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + exitCode + ": "
                    + output.toString(StandardCharsets.UTF_8).strip());
        }
        log.debug("Formatted embedded broker storage: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded broker", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the embedded broker did not accept clients on " + bootstrapServers()
                    + " within " + ADMIN_TIMEOUT, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the embedded broker's data directory {}: {}", root, e.toString());
        }
    }
}
