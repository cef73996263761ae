package io.logitrouter.config;

import java.util.Locale;

/** When the service starts its embedded single-node Kafka broker, as set by {@code scoring.embedded}. */
public enum EmbeddedMode {
    /** Start the embedded broker only when {@code bootstrap.servers} is unset. */
    AUTO,
    /** Always start the embedded broker. */
    ON,
    /** Never start the embedded broker, so {@code bootstrap.servers} is required. */
    OFF;

    /** Returns the value as written in configuration: {@code auto}, {@code on} or {@code off}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration value, ignoring case and surrounding whitespace. */
    static EmbeddedMode fromConfigValue(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
