package dev.beatline.intake.agentapp;

import co.elastic.apm.api.ElasticApm;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny application for {@code ElasticJavaAgentIT}, run in a child JVM under the real Elastic APM Java agent.
 * It serves {@code GET /hello} with the JDK HTTP server (which the agent instruments: one transaction per
 * request); the handler calls {@code GET /downstream} on the same server through {@link HttpURLConnection}
 * (an external/http exit span, and a second, child transaction) and captures an exception through the agent
 * API. It then stays alive for the given number of seconds so the agent reports metricsets and polls central
 * configuration, and exits; the agent flushes what is left on shutdown.
 *
 * <pre>java -javaagent:elastic-apm-agent.jar -cp test-classes:apm-agent-api.jar dev.beatline.intake.agentapp.AgentDemoApp SECONDS</pre>
 */
public final class AgentDemoApp {

    /** Message of the exception the {@code /hello} handler captures; the test looks for it. */
    public static final String FAILURE_MESSAGE = "agent demo failure";
    /** Printed on stdout once {@code /hello} has been served. */
    public static final String SERVED_LINE = "AGENT_DEMO_SERVED";

    private AgentDemoApp() {
    }

    public static void main(String[] args) throws Exception {
        int stayAliveSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        // named handler classes, not lambdas: the agent instruments a handler by retransforming its class
        server.createContext("/downstream", new DownstreamHandler());
        server.createContext("/hello", new HelloHandler(base + "/downstream"));
        // /hello calls /downstream on this server: it needs more than the default single dispatcher thread
        ExecutorService handlers = Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.start();
        try {
            String answer = get(base + "/hello");
            System.out.println(SERVED_LINE + " " + answer);
            Thread.sleep(stayAliveSeconds * 1000L);
        } finally {
            server.stop(0);
            handlers.shutdown();
        }
    }

    private static String get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        try (InputStream in = connection.getInputStream()) {
            if (connection.getResponseCode() != 200) {
                throw new IOException(url + " answered " + connection.getResponseCode());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Answers the outgoing call of {@link HelloHandler}. */
    static final class DownstreamHandler implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            respond(exchange, 200, "downstream ok");
        }
    }

    /** Makes an outgoing HTTP call, captures an exception through the agent API, answers 200. */
    static final class HelloHandler implements HttpHandler {
        private final String downstreamUrl;

        HelloHandler(String downstreamUrl) {
            this.downstreamUrl = downstreamUrl;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            String downstream = get(downstreamUrl);
            ElasticApm.currentTransaction().captureException(new IllegalStateException(FAILURE_MESSAGE));
            respond(exchange, 200, "hello, " + downstream);
        }
    }
}
