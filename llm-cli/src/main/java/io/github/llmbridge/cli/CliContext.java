package io.github.llmbridge.cli;

import io.github.llmbridge.core.settings.Settings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * What a command reads from and writes to, passed in rather than taken from {@code System}, so
 * that tests run every command in-process: the environment, the two output streams, whether a
 * person is watching (progress lines are shown only then), and the clock and time zone that
 * {@code --since 2h} and the times shown are read in.
 *
 * @param environment the variables, as {@link System#getenv()} gives them
 * @param out         where results go
 * @param err         where errors and progress go
 * @param interactive whether output goes to a terminal
 * @param clock       the current time, for ages such as {@code 2h}
 * @param zone        the time zone times are read and shown in
 */
public record CliContext(
        Map<String, String> environment,
        PrintStream out,
        PrintStream err,
        boolean interactive,
        Clock clock,
        ZoneId zone) {

    /** Checks that nothing is null and copies the environment. */
    public CliContext {
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
    }

    /** Returns the environment as validated settings. */
    public Settings settings() {
        return Settings.of(environment);
    }
}
