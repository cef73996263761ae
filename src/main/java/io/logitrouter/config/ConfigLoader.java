package io.logitrouter.config;

import io.logitrouter.config.Setting.Origin;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads settings from a properties file, the environment and command-line arguments, and merges
 * them so that the environment overrides the file and arguments override both.
 *
 * <p>The result contains service keys and Kafka properties side by side. Values are strings as
 * read, and {@link SettingsValidator} checks them.
 */
final class ConfigLoader {

    static final String CONFIG_OPTION = "--config";

    private ConfigLoader() {
    }

    /** Command-line arguments: the properties file, if given, and the {@code key=value} settings in order. */
    private record Arguments(Optional<String> configFile, Map<String, Setting> settings) {
    }

    /**
     * Reads and merges every source.
     *
     * @param args {@code --config FILE} or {@code --config=FILE} at most once, and {@code key=value} settings
     * @param env environment variables. A non-blank {@code SCORING_CONFIG_FILE} names a properties
     *     file unless {@code --config} is given.
     * @throws ConfigException if an argument is malformed, the file cannot be read or an environment
     *     variable cannot be mapped. The message lists every environment problem at once.
     */
    static Map<String, Setting> load(List<String> args, Map<String, String> env, Set<String> serviceKeys) {
        Arguments arguments = parseArguments(args);
        Map<String, Setting> settings = new LinkedHashMap<>();

        if (arguments.configFile().isPresent()) {
            settings.putAll(readFile(arguments.configFile().get(), CONFIG_OPTION));
        } else {
            String fromEnvironment = env.get(EnvironmentNames.CONFIG_FILE_VARIABLE);
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                settings.putAll(readFile(fromEnvironment, "environment variable " + EnvironmentNames.CONFIG_FILE_VARIABLE));
            }
        }

        settings.putAll(readEnvironment(env, serviceKeys));
        settings.putAll(arguments.settings());
        return settings;
    }

    private static Arguments parseArguments(List<String> args) {
        String configFile = null;
        Map<String, Setting> settings = new LinkedHashMap<>();

        for (int i = 0; i < args.size(); i++) {
            String argument = args.get(i);
            String file = null;
            if (argument.equals(CONFIG_OPTION)) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException("Missing file name after " + CONFIG_OPTION
                            + ". Pass " + CONFIG_OPTION + " FILE, where FILE is a properties file.");
                }
                i++;
                file = args.get(i);
            } else if (argument.startsWith(CONFIG_OPTION + "=")) {
                file = argument.substring(CONFIG_OPTION.length() + 1);
            }

            if (file != null) {
                if (configFile != null) {
                    throw new ConfigException(CONFIG_OPTION + " is given twice, for " + configFile + " and " + file
                            + ". Pass one properties file.");
                }
                if (file.isBlank()) {
                    throw new ConfigException("Missing file name after " + CONFIG_OPTION
                            + ". Pass " + CONFIG_OPTION + " FILE, where FILE is a properties file.");
                }
                configFile = file;
                continue;
            }

            if (argument.startsWith("-")) {
                throw new ConfigException("Unknown option " + quoteArgument(argument) + ". Arguments are "
                        + CONFIG_OPTION + " FILE and settings of the form key=value.");
            }
            int separator = argument.indexOf('=');
            if (separator < 0) {
                throw new ConfigException("Invalid argument " + quoteArgument(argument)
                        + ": expected a setting of the form key=value, or " + CONFIG_OPTION + " FILE.");
            }
            String key = argument.substring(0, separator).trim();
            if (key.isEmpty()) {
                throw new ConfigException("Invalid argument " + quoteArgument(argument)
                        + ": the key before '=' is empty. Pass settings as key=value.");
            }
            if (key.startsWith("SCORING_") || key.startsWith("KAFKA_")) {
                // Environment-variable names on the command line would pass to Kafka unnoticed.
                throw new ConfigException("Invalid argument " + quoteArgument(argument) + ": " + key
                        + " is an environment variable name. Set it in the environment, or pass the dotted key,"
                        + " such as scoring.topic.input=NAME or bootstrap.servers=HOST:PORT.");
            }
            settings.put(key, new Setting(argument.substring(separator + 1), Origin.commandLine()));
        }
        return new Arguments(Optional.ofNullable(configFile), settings);
    }

    /** Quotes an argument for an error message, masked when it looks like it contains a secret. */
    private static String quoteArgument(String argument) {
        return Secrets.isSecretKey(argument) ? Secrets.MASK : "'" + argument + "'";
    }

    private static Map<String, Setting> readFile(String pathText, String givenBy) {
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw new ConfigException("Invalid configuration file path '" + pathText + "', given by " + givenBy
                    + ": " + e.getReason() + ". Pass the path of a properties file.");
        }

        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Configuration file " + pathText + ", given by " + givenBy
                    + ", does not exist. Check the path.");
        } catch (CharacterCodingException e) {
            throw new ConfigException("Configuration file " + pathText + ", given by " + givenBy
                    + ", is not valid UTF-8. Save it as UTF-8.");
        } catch (IOException | IllegalArgumentException e) {
            // Properties.load throws IllegalArgumentException for a malformed Unicode escape.
            throw new ConfigException("Failed to read configuration file " + pathText + ", given by " + givenBy
                    + ": " + e + ". Check that it is a readable properties file.");
        }

        Map<String, Setting> settings = new TreeMap<>();
        Origin origin = Origin.file(pathText);
        for (String key : properties.stringPropertyNames()) {
            settings.put(key, new Setting(properties.getProperty(key), origin));
        }
        return settings;
    }

    /**
     * Maps {@code SCORING_*} variables to declared service keys and {@code KAFKA_*} variables to
     * Kafka properties. Other variables are ignored, and so are Kubernetes service-link variables
     * and the launcher variables in {@link EnvironmentNames#EXCLUDED_KAFKA_VARIABLES}.
     */
    private static Map<String, Setting> readEnvironment(Map<String, String> env, Set<String> serviceKeys) {
        Map<String, String> keysByVariable = new TreeMap<>();
        for (String key : serviceKeys) {
            keysByVariable.put(EnvironmentNames.serviceVariable(key), key);
        }

        Map<String, Setting> settings = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
            String variable = entry.getKey();
            String value = entry.getValue();
            Origin origin = Origin.environment(variable);

            if (variable.startsWith(EnvironmentNames.SERVICE_PREFIX)) {
                String key = keysByVariable.get(variable);
                if (key != null) {
                    settings.put(key, new Setting(value, origin));
                } else if (!variable.equals(EnvironmentNames.CONFIG_FILE_VARIABLE)
                        && !EnvironmentNames.isKubernetesServiceLink(variable, value)) {
                    problems.add(unknownServiceVariable(variable, keysByVariable));
                }
            } else if (variable.startsWith(EnvironmentNames.KAFKA_PREFIX)
                    && !EnvironmentNames.isKubernetesServiceLink(variable, value)) {
                Optional<String> key = EnvironmentNames.kafkaKey(variable);
                if (key.isEmpty()) {
                    continue;
                }
                if (key.get().isEmpty()) {
                    problems.add("Environment variable " + variable + " names no Kafka property."
                            + " Name Kafka properties as KAFKA_ followed by the property, such as KAFKA_BOOTSTRAP_SERVERS.");
                } else if (key.get().startsWith(RouterConfig.SERVICE_KEY_PREFIX)) {
                    problems.add("Environment variable " + variable + " maps to " + key.get()
                            + ", but keys starting with " + RouterConfig.SERVICE_KEY_PREFIX
                            + " are service settings, set by SCORING_* variables. Unset " + variable + ".");
                } else {
                    settings.put(key.get(), new Setting(value, origin));
                }
            }
        }

        if (!problems.isEmpty()) {
            throw new ConfigException(SettingsValidator.joinProblems(problems));
        }
        return settings;
    }

    private static String unknownServiceVariable(String variable, Map<String, String> keysByVariable) {
        StringBuilder message = new StringBuilder("Unknown environment variable ").append(variable)
                .append(": no service setting has this name.");
        List<String> matches = CloseMatches.find(variable, keysByVariable.keySet());
        if (matches.isEmpty()) {
            message.append(" Known variables: ").append(String.join(", ", keysByVariable.keySet())).append('.');
        } else {
            message.append(" Did you mean ");
            for (int i = 0; i < matches.size(); i++) {
                if (i > 0) {
                    message.append(i == matches.size() - 1 ? " or " : ", ");
                }
                message.append(matches.get(i)).append(" (").append(keysByVariable.get(matches.get(i))).append(')');
            }
            message.append('?');
        }
        message.append(" Rename or unset ").append(variable).append(", because a misspelled setting would")
                .append(" otherwise be ignored.");
        return message.toString();
    }
}
