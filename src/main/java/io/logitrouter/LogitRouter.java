package io.logitrouter;

import io.logitrouter.broker.EmbeddedKafkaBroker;
import io.logitrouter.config.EmbeddedMode;
import io.logitrouter.config.RouterConfig;
import io.logitrouter.errors.DeadLetterLog;
import io.logitrouter.http.HttpEndpoints;
import io.logitrouter.http.StreamsHealth;
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
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The running service: models, the optional embedded broker, the Kafka Streams client and the
 * HTTP endpoints, started in that order and closed in reverse.
 *
 * <p>Models load first so that an invalid model file stops start-up before anything else runs.
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
    private final CountDownLatch failed = new CountDownLatch(1);

    private EmbeddedKafkaBroker broker;
    private String bootstrapServers;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private HttpEndpoints http;

    private LogitRouter(RouterConfig config, ModelRegistry models) {
        this.config = config;
        this.topics = Topics.from(config);
        this.models = models;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new PromtoolNames());
    }

    /**
     * Loads the models, starts the embedded broker if the configuration requires one, then
     * the HTTP endpoints and the Kafka Streams client.
     *
     * @throws io.logitrouter.model.ModelException if a model file is invalid
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

        ScoringMetrics metrics = new ScoringMetrics(registry, models);
        bindJvmMetrics();
        EventLimits limits = new EventLimits(config.maxEventBytes(), config.maxNestingDepth());
        Topology topology = ScoringTopology.build(topics, () -> new EventScorer(models, limits), metrics);
        log.info("Topology:\n{}", topology.describe());

        Map<String, Object> settings = StreamsSettings.build(effective, topics,
                new DeadLetterLog(topics.deadLetter(), metrics));
        streams = new KafkaStreams(topology, toProperties(settings));
        streams.setStateListener(health);
        streams.setUncaughtExceptionHandler(exception -> {
            log.error("Kafka Streams stopped processing after an unexpected error; the service will exit", exception);
            health.markFailed();
            failed.countDown();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);

        http = HttpEndpoints.start(config.httpHost(), config.httpPort(), registry, health);
        streams.start();
        log.info("Kafka Streams started: application.id={}, input topics {}, bootstrap.servers={}",
                settings.get("application.id"), topics.inputs(), bootstrapServers);
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
        Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.all().forEach(topic -> partitions.put(topic, EMBEDDED_PARTITIONS));
        broker.createTopics(partitions);
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
     * Blocks until the Kafka Streams client fails, or until the timeout elapses.
     *
     * @return true if it failed
     */
    public boolean awaitFailure(long timeout, TimeUnit unit) throws InterruptedException {
        return failed.await(timeout, unit);
    }

    /** Stops Kafka Streams within {@code scoring.close.timeout.ms}, then the endpoints and the broker. */
    @Override
    public synchronized void close() {
        if (streams != null) {
            log.info("Stopping Kafka Streams (waiting at most {})", config.closeTimeout());
            // Leaving the group hands this instance's partitions to the others at once, instead
            // of after the session timeout (45 s by default), which matters in a rolling update.
            boolean clean = streams.close(CloseOptions.timeout(config.closeTimeout())
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            if (!clean) {
                log.warn("Kafka Streams did not stop within {}; its threads are left to the JVM exit",
                        config.closeTimeout());
            }
            streams = null;
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
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
