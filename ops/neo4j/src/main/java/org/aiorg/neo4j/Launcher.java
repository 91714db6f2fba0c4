package org.aiorg.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Local Neo4j 5.26 community server for dev and tests: embedded DBMS, Bolt only (no TLS, no auth,
 * no HTTP), APOC core loaded from the plugin dir. Start it with ops/neo4j/run.sh.
 *
 * <p>Environment (all optional):
 * <ul>
 *   <li>NEO4J_BOLT_LISTEN  host:port to listen on, default 127.0.0.1:7687
 *   <li>NEO4J_HOME_DIR     home dir (data/ and logs/ go there), default ops/neo4j/.data
 *   <li>NEO4J_PLUGIN_DIR   plugin dir holding the APOC jars, default ops/neo4j/target/plugins
 *   <li>NEO4J_PAGECACHE    page cache size, default 64m (the heap is the JVM's -Xmx, e.g. 512m)
 *   <li>NEO4J_TX_TIMEOUT   transaction timeout in seconds, default 120
 * </ul>
 * Relative paths resolve against the current directory; the defaults against ops/neo4j.
 *
 * <p>Stdout gets exactly two lines: {@code NEO4J_READY bolt://host:port} once Bolt accepts
 * connections, and {@code NEO4J_STOPPED} after a clean shutdown on SIGTERM/SIGINT.
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        Path projectDir = projectDir();
        Path home = path("NEO4J_HOME_DIR", projectDir.resolve(".data"));
        Path plugins = path("NEO4J_PLUGIN_DIR", projectDir.resolve("target/plugins"));
        String listen = env("NEO4J_BOLT_LISTEN", "127.0.0.1:7687");
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, socketAddress(listen))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(env("NEO4J_PAGECACHE", "64m")))
                .setConfig(GraphDatabaseSettings.transaction_timeout,
                        Duration.ofSeconds(Long.parseLong(env("NEO4J_TX_TIMEOUT", "120"))))
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
                .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("apoc.*"))
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage reports sent home
                // Otherwise each database (neo4j, system) starts with a 256 MiB preallocated tx log.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Bolt's Netty loops otherwise idle 5 s each (10 s total) before stopping.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 1)
                .build();

        // Registered before waiting for the database, so a SIGTERM from then on shuts down cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            System.out.println("NEO4J_STOPPED");
        }, "neo4j-shutdown"));

        if (!dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(Duration.ofMinutes(2).toMillis())) {
            System.err.println("Neo4j: default database did not become available; see " + home.resolve("logs"));
            System.exit(1);
        }
        System.out.println("NEO4J_READY bolt://" + listen);
        Thread.currentThread().join(); // Neo4j runs on its own threads; wait for a signal
    }

    /** ops/neo4j, found from where this class was loaded (target/classes or target/*.jar). */
    private static Path projectDir() throws Exception {
        Path location = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return location.getParent().getParent();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static Path path(String name, Path fallback) {
        String value = System.getenv(name);
        return (value == null || value.isBlank() ? fallback : Path.of(value.trim())).toAbsolutePath().normalize();
    }

    private static SocketAddress socketAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("NEO4J_BOLT_LISTEN must be host:port, got " + hostPort);
        }
        return new SocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
