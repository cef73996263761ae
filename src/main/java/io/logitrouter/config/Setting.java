package io.logitrouter.config;

/**
 * A configuration value with the place it was set, so that an error message can point the user
 * to the file, environment variable or argument to fix.
 */
record Setting(Object value, Origin origin) {

    /** Place where a value was set. {@code name} is the file path or variable name, or null. */
    record Origin(Kind kind, String name) {

        enum Kind { FILE, ENVIRONMENT, COMMAND_LINE, PROPERTIES }

        static Origin file(String path) {
            return new Origin(Kind.FILE, path);
        }

        static Origin environment(String variable) {
            return new Origin(Kind.ENVIRONMENT, variable);
        }

        static Origin commandLine() {
            return new Origin(Kind.COMMAND_LINE, null);
        }

        static Origin properties() {
            return new Origin(Kind.PROPERTIES, null);
        }

        /** Returns a phrase such as "in file app.properties" or "from environment variable SCORING_HTTP_PORT". */
        String describe() {
            return switch (kind) {
                case FILE -> "in file " + name;
                case ENVIRONMENT -> "from environment variable " + name;
                case COMMAND_LINE -> "on the command line";
                case PROPERTIES -> "in the given properties";
            };
        }
    }
}
