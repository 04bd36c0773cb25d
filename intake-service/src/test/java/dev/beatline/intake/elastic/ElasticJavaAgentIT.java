package dev.beatline.intake.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.infra.TopicReader;
import dev.beatline.intake.IntakeTestSupport;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.intake.agentapp.AgentDemoApp;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.MetricsetEvent;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.Topics;
import dev.beatline.model.TransactionEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The real Elastic APM Java agent (from Maven Central, unmodified) reports to the test intake: a child JVM runs
 * {@link AgentDemoApp} with {@code -javaagent}, only {@code server_url} and {@code secret_token} pointing at us
 * (plus short reporting intervals and a log file). Everything it sends must arrive on Kafka as canonical events
 * of the key's project, its central-configuration poll must be answered, and its log must hold no complaint
 * about the server.
 */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class ElasticJavaAgentIT {

    /** Agent log lines that mean the server did something the agent did not like. */
    private static final Pattern SERVER_COMPLAINT = Pattern.compile(
            "\\] (ERROR|WARN) |Failed to|Response body|status(?: code)? [45]\\d\\d|HTTP [45]\\d\\d|Unexpected status");

    @Inject
    AgroalDataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void realJavaAgentDeliversTransactionSpanErrorAndMetricsetsAndIsAnsweredItsCentralConfig() throws Exception {
        SeededProject project = IntakeTestSupport.project(dataSource);
        String service = "agent-demo-" + UUID.randomUUID().toString().substring(0, 8);
        // kept under target/ so a failure can be read afterwards
        Path dir = Files.createDirectories(Path.of(System.getProperty("beatline.test-classes.dir")).getParent()
                .resolve("elastic-java-agent-it").resolve(service));
        Path agentLog = dir.resolve("elastic-apm-agent.log");
        Path appOutput = dir.resolve("app.out");

        Process app = startDemoApp(project, service, agentLog, appOutput, 6);
        boolean exited = app.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            app.destroyForcibly();
        }
        assertThat(exited).as("demo app exits by itself; output:%n%s", read(appOutput)).isTrue();
        assertThat(app.exitValue()).as("demo app exit code; output:%n%s", read(appOutput)).isZero();
        assertThat(read(appOutput)).contains(AgentDemoApp.SERVED_LINE + " hello, downstream ok");

        String recordKey = project.id() + "/" + service;
        List<TransactionEvent> transactions = events(Topics.TRANSACTIONS, recordKey, 2, TransactionEvent.class, t -> true);
        List<SpanEvent> spans = events(Topics.SPANS, recordKey, 1, SpanEvent.class, s -> "external".equals(s.type()));
        List<ErrorEvent> errors = events(Topics.ERRORS, recordKey, 1, ErrorEvent.class, e -> true);
        // JVM metrics from the agent's metrics registry
        List<MetricsetEvent> metricsets = events(Topics.METRICSETS, recordKey, 1, MetricsetEvent.class,
                m -> m.samples().containsKey("jvm.memory.heap.used"));

        List<CanonicalEvent> all = new ArrayList<>();
        all.addAll(transactions);
        all.addAll(spans);
        all.addAll(errors);
        all.addAll(metricsets);
        assertThat(all).allSatisfy(e -> {
            assertThat(e.header().projectId()).isEqualTo(project.id());
            assertThat(e.header().source()).isEqualTo(SourceProtocol.ELASTIC_APM);
            assertThat(e.header().service().name()).isEqualTo(service);
            assertThat(e.header().agent().name()).isEqualTo("java");
            assertThat(e.header().agent().version()).startsWith("1.55.1");
        });

        // the served request and the downstream request it made are transactions of one trace
        TransactionEvent hello = single(transactions, "GET /hello");
        TransactionEvent downstream = single(transactions, "GET /downstream");
        assertThat(hello.type()).isEqualTo("request");
        assertThat(hello.isRoot()).isTrue();
        assertThat(downstream.trace().traceId()).isEqualTo(hello.trace().traceId());

        // the outgoing call is an external/http exit span of /hello, and the parent of /downstream
        SpanEvent call = spans.get(0);
        assertThat(call.subtype()).isEqualTo("http");
        assertThat(call.trace().traceId()).isEqualTo(hello.trace().traceId());
        assertThat(call.trace().transactionId()).isEqualTo(hello.id());
        assertThat(downstream.trace().parentId()).isEqualTo(call.id());

        // the captured exception, attached to the /hello transaction
        ErrorEvent error = errors.get(0);
        assertThat(error.trace().transactionId()).isEqualTo(hello.id());
        assertThat(error.exceptions()).last().satisfies(ex -> {
            assertThat(ex.type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(ex.value()).isEqualTo(AgentDemoApp.FAILURE_MESSAGE);
            assertThat(ex.frames()).isNotEmpty();
        });

        String log = read(agentLog);
        assertThat(log).as("agent found the server and read its version")
                .containsPattern("Elastic APM server is available: .*8\\.\\d+\\.\\d+");
        assertThat(log).as("central configuration poll answered with 200 {} and max-age=30")
                .contains("Received new configuration from APM Server: {}")
                .contains("Scheduling next remote configuration reload in 30s");
        assertThat(log.lines().filter(l -> SERVER_COMPLAINT.matcher(l).find()).toList())
                .as("agent log lines about failures (log at %s)", agentLog).isEmpty();
    }

    private Process startDemoApp(SeededProject project, String service, Path agentLog, Path output, int seconds)
            throws Exception {
        Path agentDir = Path.of(System.getProperty("beatline.elastic-apm-agent.dir"));
        String testClasses = System.getProperty("beatline.test-classes.dir");
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx128m",
                "-javaagent:" + agentDir.resolve("elastic-apm-agent.jar"),
                "-Delastic.apm.server_url=http://127.0.0.1:" + port,
                "-Delastic.apm.secret_token=" + project.secret(),
                "-Delastic.apm.service_name=" + service,
                "-Delastic.apm.environment=test",
                "-Delastic.apm.application_packages=dev.beatline",
                "-Delastic.apm.api_request_time=1s",
                "-Delastic.apm.metrics_interval=1s",
                "-Delastic.apm.log_level=DEBUG",
                "-Delastic.apm.log_file=" + agentLog,
                "-Delastic.apm.log_file_size=50mb",
                "-cp", testClasses + File.pathSeparator + agentDir.resolve("apm-agent-api.jar"),
                AgentDemoApp.class.getName(), Integer.toString(seconds));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Reads back at least {@code atLeast} events of {@code recordKey} that match {@code filter}. */
    private <T extends CanonicalEvent> List<T> events(String topic, String recordKey, int atLeast, Class<T> type,
            Predicate<T> filter) {
        List<T> events = TopicReader.read(bootstrap, topic, atLeast, Duration.ofSeconds(20),
                        r -> r.key().equals(recordKey) && filter.test(type.cast(EventCodec.decode(topic, r.value()))))
                .stream().map(r -> type.cast(EventCodec.decode(topic, r.value()))).toList();
        assertThat(events).as("matching %s records with key %s", topic, recordKey).hasSizeGreaterThanOrEqualTo(atLeast);
        return events;
    }

    private static TransactionEvent single(List<TransactionEvent> transactions, String name) {
        List<TransactionEvent> named = transactions.stream().filter(t -> name.equals(t.name())).toList();
        assertThat(named).as("transactions named %s among %s", name,
                transactions.stream().map(TransactionEvent::name).toList()).hasSize(1);
        return named.get(0);
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
