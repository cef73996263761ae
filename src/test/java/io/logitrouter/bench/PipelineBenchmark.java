package io.logitrouter.bench;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Measures logit-router (S) against the pass-through limit (T): a Kafka Streams application that
 * copies the same bytes without looking at them, with the same client settings, on the same broker.
 *
 * <p>The broker, T and S each run in their own JVM, so the CPU time of T and S is their own.
 * One unmeasured run of each warms the broker up. Runs are then interleaved, round by round, so
 * drift in the machine affects both alike:
 *
 * <ol>
 *   <li>Throughput: every run reads the same preloaded events from the 4-partition input topic
 *       with a new application id, and the sustained rate is measured over its last three
 *       quarters, with the CPU seconds spent in between, of the application, of each kind of
 *       its threads, and of the broker. Each round runs T and S under {@code at_least_once},
 *       then under {@code exactly_once_v2}.
 *   <li>Latency: each round sends events at a fixed open-loop rate of half of T's median
 *       throughput to a new topic, and records p50, p99 and p99.9 from each record's intended
 *       send time with HdrHistogram, after 30 seconds of warm-up at the same rate. A second
 *       rate may be given as well.
 * </ol>
 *
 * <p>Usage: {@code PipelineBenchmark EVENTS_FILE[.gz] [ROUNDS] [PASSES] [LATENCY_RATE]}, where
 * PASSES is how many times the events are written to the input topic (1 by default), so that
 * each run lasts long enough for the JIT to settle, and LATENCY_RATE an extra fixed rate in
 * events per second. {@code bench/pipeline.sh} builds the jar and the classpath and runs it.
 */
public final class PipelineBenchmark {

    private static final Path JAR = Path.of("target", "logit-router.jar");
    private static final List<String> SERVICE_OUTPUTS =
            List.of("scoring.spam", "scoring.alert", "scoring.pass", "scoring.dead-letter");
    private static final String INPUT = "scoring.input";
    private static final String PASS_THROUGH_OUTPUT = "bench.pass-through";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    /** The share of the events a run processes before measuring starts, to leave out JIT warm-up. */
    private static final double WARMUP_FRACTION = 0.25;
    /**
     * How long the latency probe sends before it measures. A new JVM on 2 shared cores needs
     * 15 to 20 seconds at half of T's maximum rate before the JIT has compiled the hot path and
     * the backlog of the first seconds has drained, for T and S alike.
     */
    private static final Duration LATENCY_WARMUP = Duration.ofSeconds(30);
    private static final Duration LATENCY_MEASURED = Duration.ofSeconds(30);

    private final Path work;
    private final String bootstrap;
    private final Admin admin;
    private final List<byte[]> events;
    private ChildJvm broker;
    /** How many times the events are written to the input topic for each throughput run. */
    private final int passes;
    /** A second latency rate in events per second, or 0 for none. */
    private final double extraRate;
    private int runNumber;

    /**
     * One throughput run: sustained events per second, and CPU seconds per million events of
     * the application and of the broker.
     */
    record Throughput(double eventsPerSecond, double cpuSecondsPerMillion, double brokerCpuSecondsPerMillion) {
    }

    private PipelineBenchmark(Path work, String bootstrap, List<byte[]> events, int passes, double extraRate) {
        this.work = work;
        this.bootstrap = bootstrap;
        this.events = events;
        this.passes = passes;
        this.extraRate = extraRate;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("Usage: PipelineBenchmark EVENTS_FILE[.gz] [ROUNDS] [PASSES] [LATENCY_RATE]");
            System.exit(2);
        }
        List<byte[]> events = readEvents(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        double extraRate = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        Path work = Files.createTempDirectory("logit-router-bench-");
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;

        try (ChildJvm broker = ChildJvm.start("broker", work.resolve("broker.log"), List.of("-jar", JAR.toString(),
                "broker", "scoring.embedded.port=" + port, "scoring.embedded.dir=" + work.resolve("kafka")))) {
            PipelineBenchmark benchmark = new PipelineBenchmark(work, bootstrap, events, passes, extraRate);
            benchmark.broker = broker;
            benchmark.awaitBroker(broker);
            benchmark.run(rounds);
        } finally {
            // The runs write tens of gigabytes, so only the logs are kept.
            deleteRecursively(work.resolve("kafka"));
        }
    }

    private void run(int rounds) throws Exception {
        System.out.printf("Machine: %d cores, %s; Java %s%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("java.version"));
        System.out.printf("Events: %d, written %d times, rounds: %d, work directory %s%n", events.size(), passes,
                rounds, work);
        createTopic(PASS_THROUGH_OUTPUT);
        preload(INPUT);

        // The broker's own JIT needs a few million records before its cost per record settles,
        // and the first measured run would otherwise pay for it.
        System.out.println("Warm-up runs, not counted:");
        record("T at_least_once", new HashMap<>(), passThroughRun("at_least_once"));
        record("S at_least_once", new HashMap<>(), serviceRun("at_least_once"));

        Map<String, List<Throughput>> throughput = new HashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String guarantee : List.of("at_least_once", "exactly_once_v2")) {
                record("T " + guarantee, throughput, passThroughRun(guarantee));
                record("S " + guarantee, throughput, serviceRun(guarantee));
            }
        }

        double rate = 0.5 * median(throughput.get("T at_least_once"), Throughput::eventsPerSecond);
        Map<String, List<Histogram>> latency = new HashMap<>();
        System.out.printf("%nLatency at a fixed open-loop rate of %.0f events/s (half of T's median throughput)%n", rate);
        measureLatency(rounds, rate, "", latency);
        if (extraRate > 0) {
            System.out.printf("%nLatency at a fixed open-loop rate of %.0f events/s%n", extraRate);
            measureLatency(rounds, extraRate, String.format(" at %.0f/s", extraRate), latency);
        }

        new PipelineReport(throughput, latency).print(System.out);
        admin.close();
    }

    private static void record(String name, Map<String, List<Throughput>> results, Throughput result) {
        results.computeIfAbsent(name, key -> new ArrayList<>()).add(result);
        System.out.printf("  %-20s %10.0f events/s %8.2f CPU s per million events (broker %.2f)%n", name,
                result.eventsPerSecond(), result.cpuSecondsPerMillion(), result.brokerCpuSecondsPerMillion());
    }

    private Throughput passThroughRun(String guarantee) throws Exception {
        String applicationId = "bench-t-" + (++runNumber);
        Throughput result = measureThroughput(() -> passThrough(applicationId, INPUT, PASS_THROUGH_OUTPUT, guarantee),
                applicationId, List.of(PASS_THROUGH_OUTPUT), guarantee);
        truncate(List.of(PASS_THROUGH_OUTPUT));
        return result;
    }


    private Throughput serviceRun(String guarantee) throws Exception {
        String applicationId = "bench-s-" + (++runNumber);
        Throughput result = measureThroughput(() -> service(applicationId, INPUT, guarantee), applicationId,
                SERVICE_OUTPUTS, guarantee);
        truncate(SERVICE_OUTPUTS);
        return result;
    }

    /**
     * Starts one application on the preloaded input and measures its steady state. Measuring
     * starts once a quarter of the events are written, which leaves out start-up and most JIT
     * compilation. It ends when every input record is processed: all outputs written under
     * at-least-once, or all input offsets committed under exactly-once, because transaction
     * markers also take output offsets.
     */
    private Throughput measureThroughput(java.util.function.Supplier<ChildJvm> start, String applicationId,
            List<String> outputs, String guarantee) throws Exception {
        long total = (long) events.size() * passes;
        long before = endOffsetSum(outputs);
        long firstNanos = 0;
        long firstOutputs = 0;
        Duration firstCpu = Duration.ZERO;
        Duration firstBrokerCpu = Duration.ZERO;
        Map<String, Duration> firstThreads = Map.of();
        boolean transactional = guarantee.startsWith("exactly_once");

        try (ChildJvm application = start.get()) {
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!application.isAlive()) {
                    throw new IllegalStateException(application + " exited; see the logs in " + work);
                }
                long written = endOffsetSum(outputs) - before;
                if (firstNanos == 0 && written >= WARMUP_FRACTION * total) {
                    firstNanos = System.nanoTime();
                    firstOutputs = written;
                    firstCpu = application.cpuTime();
                    firstBrokerCpu = broker.cpuTime();
                    firstThreads = application.threadCpuTimes();
                }
                boolean done = transactional ? committedSum(applicationId) >= total : written >= total;
                if (done && firstNanos > 0) {
                    double seconds = (System.nanoTime() - firstNanos) / 1e9;
                    double counted = total - Math.min(firstOutputs, total - 1);
                    double cpu = (application.cpuTime().minus(firstCpu)).toNanos() / 1e9;
                    double brokerCpu = (broker.cpuTime().minus(firstBrokerCpu)).toNanos() / 1e9;
                    printThreadCpu(firstThreads, application.threadCpuTimes(), counted);
                    return new Throughput(counted / seconds, cpu / counted * 1e6, brokerCpu / counted * 1e6);
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(applicationId + " did not finish within " + RUN_TIMEOUT);
    }

    /** Deletes the records of the topics, so that the runs do not fill the disk. */
    private void truncate(List<String> topics) throws Exception {
        Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
        endOffsets(topics).forEach((partition, offset) ->
                deletions.put(partition, RecordsToDelete.beforeOffset(offset)));
        admin.deleteRecords(deletions).all().get(30, TimeUnit.SECONDS);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Prints the CPU seconds per million events of each kind of thread, to show where the time goes. */
    private static void printThreadCpu(Map<String, Duration> first, Map<String, Duration> last, double events) {
        StringBuilder line = new StringBuilder("    threads, CPU s per million events:");
        for (Map.Entry<String, Duration> entry : last.entrySet()) {
            Duration spent = entry.getValue().minus(first.getOrDefault(entry.getKey(), Duration.ZERO));
            line.append(String.format(" %s %.2f", entry.getKey(), spent.toNanos() / 1e9 / events * 1e6));
        }
        System.out.println(line);
    }

    /** Measures T and S, interleaved, and files the results under {@code "T" + suffix} and {@code "S" + suffix}. */
    private void measureLatency(int rounds, double rate, String suffix, Map<String, List<Histogram>> latency)
            throws Exception {
        for (int round = 1; round <= rounds; round++) {
            latency.computeIfAbsent("T" + suffix, key -> new ArrayList<>()).add(passThroughLatency(rate));
            latency.computeIfAbsent("S" + suffix, key -> new ArrayList<>()).add(serviceLatency(rate));
        }
    }

    private Histogram passThroughLatency(double rate) throws Exception {
        String topic = "bench.latency-" + (++runNumber);
        createTopic(topic + ".in");
        createTopic(topic + ".out");
        String applicationId = "bench-t-" + runNumber;
        try (ChildJvm ignored = passThrough(applicationId, topic + ".in", topic + ".out", "at_least_once")) {
            awaitAssignment(applicationId);
            return probe("T", topic + ".in", List.of(topic + ".out"), rate);
        } finally {
            admin.deleteTopics(List.of(topic + ".in", topic + ".out")).all().get(30, TimeUnit.SECONDS);
        }
    }

    private Histogram serviceLatency(double rate) throws Exception {
        String topic = "bench.latency-" + (++runNumber);
        createTopic(topic + ".in");
        String applicationId = "bench-s-" + runNumber;
        try (ChildJvm ignored = service(applicationId, topic + ".in", "at_least_once")) {
            awaitAssignment(applicationId);
            return probe("S", topic + ".in", SERVICE_OUTPUTS, rate);
        } finally {
            admin.deleteTopics(List.of(topic + ".in")).all().get(30, TimeUnit.SECONDS);
            truncate(SERVICE_OUTPUTS);
        }
    }

    /**
     * Waits until the application's consumer group is stable with partitions assigned, so that
     * start-up and the first rebalance are not measured as latency.
     */
    private void awaitAssignment(String applicationId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription group;
            try {
                group = admin.describeConsumerGroups(List.of(applicationId))
                        .describedGroups().get(applicationId).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // The group does not exist until the application's consumer first joins it.
                Thread.sleep(100);
                continue;
            }
            boolean assigned = group.members().stream()
                    .anyMatch(member -> !member.assignment().topicPartitions().isEmpty());
            if (group.groupState() == GroupState.STABLE && assigned) {
                Thread.sleep(1_000);
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(applicationId + " got no partitions within 60 s; see the logs in " + work);
    }

    private Histogram probe(String name, String input, List<String> outputs, double rate) throws Exception {
        LatencyProbe.Result result = LatencyProbe.run(bootstrap, input, outputs, events, rate, LATENCY_WARMUP,
                LATENCY_MEASURED);
        Histogram micros = result.micros();
        System.out.printf("  %s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d records, %d missing)%n",
                name, micros.getValueAtPercentile(50) / 1e3, micros.getValueAtPercentile(99) / 1e3,
                micros.getValueAtPercentile(99.9) / 1e3, micros.getMaxValue() / 1e3, micros.getTotalCount(),
                result.missing());
        StringBuilder maxima = new StringBuilder();
        for (long max : result.maxMicrosPerSecond()) {
            maxima.append(String.format(" %.0f", max / 1e3));
        }
        System.out.printf("    largest latency per second, ms:%s%n", maxima);
        if (result.missing() > 0) {
            throw new IllegalStateException(name + " lost " + result.missing() + " records in the latency run");
        }
        return micros;
    }

    private ChildJvm passThrough(String applicationId, String input, String output, String guarantee) {
        return ChildJvm.start(applicationId, work.resolve(applicationId + ".log"), jvmArguments(applicationId,
                "-cp", System.getProperty("java.class.path"), PassThroughApp.class.getName(),
                bootstrap, applicationId, input, output, guarantee));
    }

    private ChildJvm service(String applicationId, String input, String guarantee) {
        return ChildJvm.start(applicationId, work.resolve(applicationId + ".log"), jvmArguments(applicationId,
                "-jar", JAR.toString(), "run", "bootstrap.servers=" + bootstrap, "scoring.embedded=off",
                "application.id=" + applicationId, "processing.guarantee=" + guarantee,
                "scoring.topic.input=" + input, "scoring.http.host=127.0.0.1", "scoring.http.port=0"));
    }

    /**
     * Puts the JVM options of the {@code bench.jvm.args} system property before the given
     * arguments; {@code {id}} in them becomes the application id, so that a flight recording
     * per run is {@code -Dbench.jvm.args=-XX:StartFlightRecording=filename=/tmp/{id}.jfr}.
     */
    private static List<String> jvmArguments(String applicationId, String... arguments) {
        List<String> all = new ArrayList<>();
        String extra = System.getProperty("bench.jvm.args", "").strip();
        if (!extra.isEmpty()) {
            for (String option : extra.split("\\s+")) {
                all.add(option.replace("{id}", applicationId));
            }
        }
        all.addAll(List.of(arguments));
        return all;
    }

    private void awaitBroker(ChildJvm broker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (admin.listTopics().names().get(2, TimeUnit.SECONDS).containsAll(SERVICE_OUTPUTS)) {
                    return;
                }
            } catch (Exception e) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("the broker exited; see " + work.resolve("broker.log"), e);
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the broker did not start; see " + work.resolve("broker.log"));
    }

    private void createTopic(String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    private void preload(String topic) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int pass = 0; pass < passes; pass++) {
                for (byte[] event : events) {
                    producer.send(new ProducerRecord<>(topic, event));
                }
            }
            producer.flush();
        }
        System.out.printf("Preloaded %d records into %s at %s%n", (long) events.size() * passes, topic, Instant.now());
    }

    private long endOffsetSum(List<String> topics) throws Exception {
        return endOffsets(topics).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Returns the end offset of each of the 4 partitions of each topic. */
    private Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String topic : topics) {
            for (int partition = 0; partition < 4; partition++) {
                request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private long committedSum(String applicationId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return committed.values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
    }

    static <T> double median(List<T> values, Function<T, Double> field) {
        List<Double> sorted = new ArrayList<>(values.stream().map(field).toList());
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static List<byte[]> readEvents(Path file) throws IOException {
        List<byte[]> events = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    events.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return events;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
