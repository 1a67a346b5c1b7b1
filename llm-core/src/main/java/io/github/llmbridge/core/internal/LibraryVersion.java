package io.github.llmbridge.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library's version, as stamped into {@code version.properties} by the build. */
public final class LibraryVersion {

    /** The version, or {@code "dev"} when running from an unfiltered source tree. */
    public static final String VERSION = load();

    /** The {@code User-Agent} sent with every request. */
    public static final String USER_AGENT = "llm-bridge/" + VERSION;

    private LibraryVersion() {}

    private static String load() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
