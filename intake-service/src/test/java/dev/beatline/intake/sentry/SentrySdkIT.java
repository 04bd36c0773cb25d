package dev.beatline.intake.sentry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.infra.TopicReader;
import dev.beatline.intake.IntakeTestSupport;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.Topics;
import dev.beatline.model.TransactionEvent;
import dev.beatline.model.keys.Dsn;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sentry.ITransaction;
import io.sentry.Sentry;
import io.sentry.SentryLevel;
import io.sentry.protocol.SentryId;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The real Sentry Java SDK (io.sentry:sentry from Maven Central), configured only with a Beatline DSN. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class SentrySdkIT {

    @Inject
    AgroalDataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void exceptionMessageAndTransactionFromTheSdkArriveAsCanonicalEvents() throws Exception {
        SeededProject project = IntakeTestSupport.project(dataSource);
        String dsn = Dsn.forKey("http://127.0.0.1:" + RestAssured.port,
                IntakeTestSupport.publicKey(dataSource, project.id()), project.id()).toString();
        SentryId exceptionId = null;
        SentryId messageId;
        Sentry.init(options -> {
            options.setDsn(dsn);
            options.setRelease("shop@1.2.3");
            options.setEnvironment("staging");
            options.setServerName("node-1");
            options.setTracesSampleRate(1.0);
            options.setEnableUncaughtExceptionHandler(false);
            options.setEnableShutdownHook(false);
        });
        try {
            Sentry.setTag("tenant", "acme");
            try {
                failDeep();
            } catch (IllegalStateException e) {
                exceptionId = Sentry.captureException(e);
            }
            messageId = Sentry.captureMessage("cart is empty", SentryLevel.WARNING);
            ITransaction tx = Sentry.startTransaction("checkout", "task");
            tx.startChild("db.sql.query", "SELECT 1").finish();
            tx.finish();
            Sentry.flush(10_000);
        } finally {
            Sentry.close();
        }

        List<ErrorEvent> errors = TopicReader.read(bootstrap, Topics.ERRORS, 2, Duration.ofSeconds(30),
                r -> r.key().startsWith(project.id() + "/")).stream()
                .map(r -> (ErrorEvent) EventCodec.decode(Topics.ERRORS, r.value())).toList();
        assertThat(errors).hasSize(2);
        String thrownId = exceptionId.toString();
        ErrorEvent exception = errors.stream().filter(e -> e.header().eventId().equals(thrownId))
                .findFirst().orElseThrow();
        assertThat(exception.header().source()).isEqualTo(SourceProtocol.SENTRY);
        assertThat(exception.header().agent().name()).isEqualTo("sentry.java");
        assertThat(exception.header().service().name()).isEqualTo(project.slug());
        assertThat(exception.header().service().version()).isEqualTo("shop@1.2.3");
        assertThat(exception.header().service().environment()).isEqualTo("staging");
        assertThat(exception.header().host().hostname()).isEqualTo("node-1");
        assertThat(exception.header().labels()).containsEntry("tenant", "acme");
        assertThat(exception.platform()).isEqualTo("java");
        // root cause first, thrown exception last; frames outermost first, the throwing frame last
        assertThat(exception.exceptions()).extracting(x -> x.type()).containsExactly("ArithmeticException",
                "IllegalStateException");
        assertThat(exception.thrownException().value()).isEqualTo("checkout failed");
        assertThat(exception.thrownException().frames()).last()
                .satisfies(f -> assertThat(f.function()).isEqualTo("failDeep"));
        ErrorEvent message = errors.stream().filter(e -> e.header().eventId().equals(messageId.toString()))
                .findFirst().orElseThrow();
        assertThat(message.message()).isEqualTo("cart is empty");
        assertThat(message.level()).isEqualTo("warning");
        assertThat(message.exceptions()).isEmpty();

        TransactionEvent tx = (TransactionEvent) EventCodec.decode(Topics.TRANSACTIONS, TopicReader.read(bootstrap,
                Topics.TRANSACTIONS, 1, Duration.ofSeconds(30), r -> r.key().startsWith(project.id() + "/")).get(0).value());
        assertThat(tx.name()).isEqualTo("checkout");
        assertThat(tx.type()).isEqualTo("task");
        assertThat(tx.spansStarted()).isEqualTo(1);
        assertThat(tx.header().service().version()).isEqualTo("shop@1.2.3");
        assertThat(TopicReader.read(bootstrap, Topics.SPANS, 1, Duration.ofSeconds(30),
                r -> r.key().startsWith(project.id() + "/"))).hasSize(1);
    }

    private static void failDeep() {
        try {
            int zero = 0;
            System.out.println(1 / zero);
        } catch (ArithmeticException e) {
            throw new IllegalStateException("checkout failed", e);
        }
    }
}
