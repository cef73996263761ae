package io.logitrouter;

import io.logitrouter.broker.EmbeddedKafkaBroker;
import io.logitrouter.config.RouterConfig;
import io.logitrouter.model.ModelException;
import io.logitrouter.redrive.DeadLetterRedrive;
import io.logitrouter.topology.Topics;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Command-line entry point: parses the subcommand, then wires, starts and stops.
 *
 * <p>Exit codes: 0 after a requested stop (SIGTERM or Ctrl-C), 1 when processing failed,
 * 2 when the configuration or a model file is invalid.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_INVALID_CONFIGURATION = 2;

    private static final String USAGE = """
            Usage: java -jar logit-router.jar [COMMAND] [--config FILE] [KEY=VALUE ...]

            Commands:
              run      score and route events (the default)
              demo     run on the embedded broker, replay the bundled sample events, print a
                       summary of where they went, then keep serving until stopped
              broker   run only the embedded Kafka broker, for several service processes to share
              redrive  send dead letters back to the first input topic without their error headers,
                       then stop:  redrive [--reason CODE[,CODE...]] [--limit N] [--from-beginning]
                       [--dry-run]. Progress is kept in consumer group <application.id>-redrive;
                       --from-beginning ignores it, --dry-run only counts.
              help     print this text

            Settings come from defaults, then the --config properties file, then SCORING_* and
            KAFKA_* environment variables, then KEY=VALUE arguments. Any key outside scoring.*
            passes through to the Kafka clients, for example bootstrap.servers=host:9092.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) {
        String command = "run";
        List<String> rest = Arrays.asList(args);
        if (args.length > 0 && !args[0].startsWith("-") && !args[0].contains("=")) {
            command = args[0];
            rest = rest.subList(1, rest.size());
        }
        if (command.equals("help") || rest.contains("--help") || rest.contains("-h")) {
            out.print(USAGE);
            return EXIT_OK;
        }

        if (command.equals("redrive")) {
            return DeadLetterRedrive.run(rest, env, out);
        }
        try {
            RouterConfig config = RouterConfig.load(rest, env);
            return switch (command) {
                case "run" -> runService(config, false, out);
                case "demo" -> runService(config, true, out);
                case "broker" -> runBroker(config);
                default -> {
                    System.err.println("Unknown command '" + command + "'.\n\n" + USAGE);
                    yield EXIT_INVALID_CONFIGURATION;
                }
            };
        } catch (ConfigException | ModelException e) {
            log.error("Invalid configuration: {}", e.getMessage());
            System.err.println("logit-router cannot start: " + e.getMessage());
            return EXIT_INVALID_CONFIGURATION;
        }
    }

    private static int runService(RouterConfig config, boolean demo, PrintStream out) {
        CountDownLatch stop = stopOnSignal();
        try (LogitRouter router = LogitRouter.start(config)) {
            if (demo) {
                new SampleReplay(router, out).run();
            }
            while (stop.getCount() > 0) {
                if (router.awaitFailure(200, TimeUnit.MILLISECONDS)) {
                    return EXIT_FAILED;
                }
            }
            return EXIT_OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            if (e instanceof ConfigException || e instanceof ModelException) {
                throw e;
            }
            log.error("logit-router failed", e);
            return EXIT_FAILED;
        }
    }

    private static int runBroker(RouterConfig config) {
        CountDownLatch stop = stopOnSignal();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(config.embeddedPort(), config.embeddedDir()).start()) {
            Topics topics = Topics.from(config);
            broker.createTopics(topics.all(), LogitRouter.EMBEDDED_PARTITIONS);
            log.warn("DEVELOPMENT MODE: single-node Kafka broker at {} (data in {}); start services with "
                    + "bootstrap.servers={}. Stop with Ctrl-C or SIGTERM.",
                    broker.bootstrapServers(), broker.dataDir(), broker.bootstrapServers());
            stop.await();
            return EXIT_OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            log.error("The embedded broker failed", e);
            return EXIT_FAILED;
        }
    }

    /**
     * Handles SIGTERM and SIGINT by releasing the returned latch, so the main thread closes
     * everything in order and the process exits 0 rather than with the JVM's 143.
     */
    private static CountDownLatch stopOnSignal() {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                log.info("Received SIG{}; stopping", signal.getName());
                stop.countDown();
            });
        }
        return stop;
    }
}
