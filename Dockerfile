# Container image for logit-router: a Maven build stage and a JRE runtime
# stage. Build with `docker build -t logit-router .` from the repository root.

# ---- build stage: JDK 17 and Maven, produces target/logit-router.jar ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# The POM goes first so that the dependency download is cached as its own
# layer and reused until pom.xml changes.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline

COPY src ./src
RUN mvn -B package -DskipTests

# ---- runtime stage: JRE 17 only ----
FROM eclipse-temurin:17-jre

# A fixed numeric UID and GID let Kubernetes verify runAsNonRoot without
# reading /etc/passwd, and match runAsUser in the Deployment.
RUN groupadd --system --gid 10001 logit-router \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin logit-router \
    && mkdir -p /var/lib/logit-router/state \
    && chown -R 10001:10001 /var/lib/logit-router

# The jar stays owned by root, so the service cannot modify its own code.
COPY --from=build /build/target/logit-router.jar /app/logit-router.jar

# The Kafka Streams state directory. Kafka Streams 4.4 creates it only for
# topologies with persistent state stores, which this one does not have, so
# it stays empty today. It is writable for UID 10001, and Kubernetes mounts
# an emptyDir here, so that a stateful topology would not fail on a
# read-only root filesystem.
ENV SCORING_EMBEDDED=off \
    KAFKA_STATE_DIR=/var/lib/logit-router/state

USER 10001:10001
WORKDIR /app
EXPOSE 8080

# MaxRAMPercentage sizes the heap from the container's memory limit and
# leaves a quarter for metaspace, thread stacks and Kafka's network buffers.
# ExitOnOutOfMemoryError stops the JVM on the first OutOfMemoryError, so the
# orchestrator restarts a clean process instead of keeping a damaged one.
# Extra JVM flags go in JAVA_TOOL_OPTIONS. The exec form makes java PID 1, so
# it receives SIGTERM directly and closes Kafka Streams gracefully.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/logit-router.jar"]
CMD ["run"]
