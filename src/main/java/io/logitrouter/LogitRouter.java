package io.logitrouter;

import io.logitrouter.broker.EmbeddedKafkaBroker;
import io.logitrouter.config.EmbeddedMode;
import io.logitrouter.config.RouterConfig;
import io.logitrouter.errors.DeadLetterLog;
import io.logitrouter.http.HttpEndpoints;
import io.logitrouter.http.StreamsHealth;
import io.logitrouter.lifecycle.ClientSettings;
import io.logitrouter.lifecycle.KafkaAvailability;
import io.logitrouter.lifecycle.StreamsSupervisor;
import io.logitrouter.metrics.PromtoolNames;
import io.logitrouter.metrics.ScoringMetrics;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import io.logitrouter.event.EventLimits;
import io.logitrouter.event.EventScorer;
import io.logitrouter.topology.ScoringTopology;
import io.logitrouter.topology.StreamsSettings;
import io.logitrouter.topology.Topics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The running service: models, the optional embedded broker, the HTTP endpoints and the Kafka
 * Streams client, started in that order and closed in reverse.
 *
 * <p>Models load first and the settings are validated next, so that an invalid model file or
 * setting stops start-up before anything else runs. The Kafka Streams client starts on a thread
 * of its own once Kafka is reachable and the topics exist; until then the service is live and not
 * ready (see {@link StreamsSupervisor}).
 */
public final class LogitRouter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogitRouter.class);

    /** Partitions of each topic the embedded broker creates. */
    static final int EMBEDDED_PARTITIONS = 4;

    private final RouterConfig config;
    private final Topics topics;
    private final ModelRegistry models;
    private final PrometheusMeterRegistry registry;
    private final StreamsHealth health = new StreamsHealth();

    private EmbeddedKafkaBroker broker;
    private String bootstrapServers;
    private StreamsSupervisor supervisor;
    private HttpEndpoints http;

    private LogitRouter(RouterConfig config, ModelRegistry models) {
        this.config = config;
        this.topics = Topics.from(config);
        this.models = models;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new PromtoolNames());
    }

    /**
     * Loads the models, starts the embedded broker if the configuration requires one, then the
     * HTTP endpoints and the thread that starts Kafka Streams once Kafka and the topics are
     * there. Returns before Kafka Streams is RUNNING: poll {@code health().isReady()} to wait.
     *
     * @throws io.logitrouter.model.ModelException if a model file is invalid
     * @throws ConfigException if a setting is invalid
     */
    public static LogitRouter start(RouterConfig config) {
        ModelRegistry models = loadModels(config);
        LogitRouter router = new LogitRouter(config, models);
        try {
            router.startAll();
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
        return router;
    }

    private static ModelRegistry loadModels(RouterConfig config) {
        ModelRegistry models = config.modelsPath()
                .map(path -> ModelLoader.load(path, config.defaultModel()))
                .orElseGet(() -> ModelLoader.loadBundled(config.defaultModel()));
        models.models().forEach(model -> log.info("Loaded model {} version {} ({} labels, {})",
                model.name(), model.version(), model.labels().size(), model.activation()));
        return models;
    }

    private void startAll() {
        log.info("Starting logit-router: {}", config.maskedSummary());
        RouterConfig effective = startEmbeddedBrokerIfNeeded();
        bootstrapServers = String.valueOf(effective.kafkaProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        requireValidBootstrapServers(bootstrapServers);

        ScoringMetrics metrics = new ScoringMetrics(registry, models);
        bindJvmMetrics();
        EventLimits limits = new EventLimits(config.maxEventBytes(), config.maxNestingDepth());
        Supplier<Topology> topology = () -> ScoringTopology.build(topics, () -> new EventScorer(models, limits), metrics);
        log.info("Topology:\n{}", topology.get().describe());

        Map<String, Object> settings = StreamsSettings.build(effective, topics,
                new DeadLetterLog(topics.deadLetter(), metrics));
        // Validates every Kafka Streams and client setting now, so that an invalid one exits at once.
        StreamsConfig streamsConfig = new StreamsConfig(settings);
        String applicationId = streamsConfig.getString(StreamsConfig.APPLICATION_ID_CONFIG);
        ClientSettings.validate(streamsConfig, applicationId);

        http = HttpEndpoints.start(config.httpHost(), config.httpPort(), registry, health);

        KafkaAvailability availability = new KafkaAvailability(
                streamsConfig.getAdminConfigs(applicationId + "-startup-admin"), topics.all(), health);
        supervisor = new StreamsSupervisor(() -> new KafkaStreams(topology.get(), toProperties(settings)),
                availability, health, registry, config.closeTimeout(), topics.inputs());
        supervisor.start();
        log.info("Kafka Streams starts once Kafka at {} is reachable and the topics {} exist: application.id={}, "
                + "processing.guarantee={}", bootstrapServers, topics.all(), applicationId,
                streamsConfig.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    /**
     * Checks that every {@code bootstrap.servers} entry has the form {@code host:port}, without
     * resolving the host, so that a typing error exits at start-up while a broker that is not
     * there yet is waited for.
     */
    private static void requireValidBootstrapServers(String servers) {
        for (String server : servers.split(",")) {
            String address = server.strip();
            if (Utils.getHost(address) == null || Utils.getPort(address) == null) {
                throw new ConfigException(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers,
                        "Invalid address '" + address + "': each entry must be host:port, such as broker-1:9092");
            }
        }
    }

    private RouterConfig startEmbeddedBrokerIfNeeded() {
        EmbeddedMode mode = config.embeddedMode();
        boolean start = mode == EmbeddedMode.ON || (mode == EmbeddedMode.AUTO && !config.hasBootstrapServers());
        if (!start) {
            config.requireBrokerOrEmbedded();
            return config;
        }
        if (config.hasBootstrapServers()) {
            log.warn("scoring.embedded=on: ignoring bootstrap.servers={} and using the embedded broker",
                    config.kafkaProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        }

        broker = new EmbeddedKafkaBroker(config.embeddedPort(), config.embeddedDir()).start();
        broker.createTopics(topics.all(), EMBEDDED_PARTITIONS);
        log.warn("DEVELOPMENT MODE: no bootstrap.servers was given, so logit-router started its own single-node "
                + "Kafka broker at {}. Data lives in {} and is not replicated. Set bootstrap.servers "
                + "(KAFKA_BOOTSTRAP_SERVERS) and scoring.embedded=off in production.",
                broker.bootstrapServers(), broker.dataDir());
        return config.withKafkaProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    }

    private void bindJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private static java.util.Properties toProperties(Map<String, Object> settings) {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(settings);
        return properties;
    }

    /** Returns the address of the Kafka cluster in use, the embedded broker's if one runs. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Optional<EmbeddedKafkaBroker> embeddedBroker() {
        return Optional.ofNullable(broker);
    }

    public Topics topics() {
        return topics;
    }

    public ModelRegistry models() {
        return models;
    }

    public StreamsHealth health() {
        return health;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int httpPort() {
        return http.port();
    }

    /**
     * Blocks until Kafka Streams fails and the service should exit, or until the timeout
     * elapses. A missing source topic is no failure: the service waits for it.
     *
     * @return true if it failed
     */
    public boolean awaitFailure(long timeout, TimeUnit unit) throws InterruptedException {
        if (supervisor == null) {
            unit.sleep(timeout);
            return false;
        }
        return supervisor.awaitFailure(timeout, unit);
    }

    /** Stops Kafka Streams within {@code scoring.close.timeout.ms}, then the endpoints and the broker. */
    @Override
    public synchronized void close() {
        if (supervisor != null) {
            supervisor.close();
            supervisor = null;
        }
        if (http != null) {
            http.close();
            http = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
        registry.close();
        log.info("logit-router stopped");
    }
}
