package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.tracing.TraceStoreException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * A PostgreSQL database named by {@code LLM_TRACE_DB}: a libpq URI
 * ({@code postgresql://user[:password]@host[:port]/db[?param=value]}, also {@code postgres://})
 * or a JDBC URL ({@code jdbc:postgresql://host[:port]/db[?user=...&password=...]}), turned
 * into a JDBC URL without the password plus the connection properties. The password comes from
 * the URL, else {@code PGPASSWORD}, else the matching line of the {@code .pgpass} file
 * ({@code PGPASSFILE}, default {@code ~/.pgpass}); it is kept in the properties only, never in
 * {@link #display()} or {@link #toString()}.
 *
 * @param jdbcUrl  the JDBC URL, without user and password
 * @param user     the role to connect as
 * @param password the password, {@code null} for none (trust or certificate authentication)
 * @param display  the location as logs and messages show it: no password, no query
 */
record PostgresLocation(String jdbcUrl, String user, String password, String display) {

    /** The password sources other than the URL: {@code PGPASSWORD} and the {@code .pgpass} file. */
    record PasswordSources(String pgPassword, Path pgPassFile) {
        /** Neither: only a password in the URL counts. */
        static final PasswordSources NONE = new PasswordSources(null, null);
    }

    /** Whether this text names a PostgreSQL database (rather than a file). */
    static boolean isPostgres(String location) {
        String lower = location.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("postgresql://")
                || lower.startsWith("postgres://")
                || lower.startsWith("jdbc:postgresql:");
    }

    /**
     * Parses a location.
     *
     * @throws TraceStoreException naming what is wrong (never the password) when it is not a
     *                             PostgreSQL URL this store understands
     */
    static PostgresLocation parse(String location, PasswordSources sources) {
        String text = location.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return parseJdbc(text, sources);
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return parseUri(text, sources);
        }
        throw new TraceStoreException(
                "'" + safe(text) + "' is not a PostgreSQL URL (postgresql://user@host:5432/db or jdbc:postgresql:...)",
                null);
    }

    /** Returns the properties to connect with: user, password and the store's own settings. */
    Properties properties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "llm-bridge-tracing");
        // A JDBC batch becomes multi-row INSERTs (up to 128 rows per statement): one round trip per batch.
        p.setProperty("reWriteBatchedInserts", "true");
        p.setProperty("connectTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    /** Shows the display form only. */
    @Override
    public String toString() {
        return display;
    }

    private static PostgresLocation parseUri(String text, PasswordSources sources) {
        String rest = text.substring(text.indexOf("://") + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String userInfo = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String hostPort = rest;
        String database = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            hostPort = rest.substring(0, slash);
            database = decode(rest.substring(slash + 1));
        }
        if (hostPort.isEmpty()) {
            hostPort = "localhost";
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        List<String> params = new ArrayList<>();
        for (String pair : splitParams(query)) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            String value = pair.contains("=") ? decode(pair.substring(pair.indexOf('=') + 1)) : "";
            switch (key) {
                case "user" -> user = value;
                case "password" -> password = value;
                case "dbname" -> database = value;
                default -> params.add(pair);
            }
        }
        if (user == null || user.isEmpty()) {
            user = System.getProperty("user.name");
        }
        if (database.isEmpty()) {
            database = user;
        }
        String jdbc = "jdbc:postgresql://" + hostPort + "/" + encodePath(database)
                + (params.isEmpty() ? "" : "?" + String.join("&", params));
        return finish(jdbc, hostPort, database, user, password, sources);
    }

    private static PostgresLocation parseJdbc(String text, PasswordSources sources) {
        String base = text;
        String query = "";
        int q = text.indexOf('?');
        if (q >= 0) {
            base = text.substring(0, q);
            query = text.substring(q + 1);
        }
        String user = null;
        String password = null;
        List<String> params = new ArrayList<>();
        for (String pair : splitParams(query)) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            String value = pair.contains("=") ? decode(pair.substring(pair.indexOf('=') + 1)) : "";
            switch (key) {
                case "user" -> user = value;
                case "password" -> password = value;
                default -> params.add(pair);
            }
        }
        if (user == null || user.isEmpty()) {
            user = System.getProperty("user.name");
        }
        String hostPort = "localhost";
        String database = user;
        String after = base.substring("jdbc:postgresql:".length());
        if (after.startsWith("//")) {
            String rest = after.substring(2);
            int slash = rest.indexOf('/');
            hostPort = slash < 0 ? rest : rest.substring(0, slash);
            database = slash < 0 ? database : decode(rest.substring(slash + 1));
        } else if (!after.isEmpty()) {
            database = decode(after);
        }
        String jdbc = base + (params.isEmpty() ? "" : "?" + String.join("&", params));
        return finish(jdbc, hostPort.isEmpty() ? "localhost" : hostPort, database, user, password, sources);
    }

    private static PostgresLocation finish(
            String jdbc, String hostPort, String database, String user, String password, PasswordSources sources) {
        String resolved = password;
        if (resolved == null || resolved.isEmpty()) {
            resolved = sources.pgPassword() != null && !sources.pgPassword().isEmpty()
                    ? sources.pgPassword()
                    : fromPgPass(sources.pgPassFile(), hostPort, database, user).orElse(null);
        }
        String display = "postgresql://" + user + "@" + hostPort + "/" + database;
        return new PostgresLocation(jdbc, user, resolved, display);
    }

    /**
     * Finds the password for this connection in a {@code .pgpass} file: lines of
     * {@code host:port:database:username:password}, {@code *} matching anything, {@code \:} and
     * {@code \\} escaped; the first matching line wins. A missing or unreadable file has none.
     */
    static Optional<String> fromPgPass(Path file, String hostPort, String database, String user) {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String host = hostPort;
        String port = "5432";
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && hostPort.indexOf(']') < colon) {
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
        }
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = pgPassFields(line);
            if (fields.size() == 5
                    && matches(fields.get(0), host)
                    && matches(fields.get(1), port)
                    && matches(fields.get(2), database)
                    && matches(fields.get(3), user)) {
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String field, String value) {
        return field.equals("*") || field.equals(value);
    }

    private static List<String> pgPassFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }

    private static List<String> splitParams(String query) {
        List<String> pairs = new ArrayList<>();
        int start = 0;
        while (start < query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            if (end > start) {
                pairs.add(query.substring(start, end));
            }
            start = end + 1;
        }
        return pairs;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TraceStoreException("the PostgreSQL URL has a bad %-escape", null);
        }
    }

    private static String encodePath(String database) {
        return database.replace("%", "%25").replace("/", "%2F").replace("?", "%3F");
    }

    /** The text with any user info and query cut, for a message about a URL that could not be parsed. */
    private static String safe(String text) {
        return io.github.llmbridge.core.internal.Secrets.displayUrl(text);
    }
}
