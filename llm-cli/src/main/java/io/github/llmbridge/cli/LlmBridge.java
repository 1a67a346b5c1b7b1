package io.github.llmbridge.cli;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code llm-bridge}, the command-line tool for the people running training: {@code doctor},
 * {@code check}, {@code traces} and {@code report}, each with {@code --help}.
 *
 * <pre>
 * java -jar llm-cli/target/llm-bridge.jar report traces/run-17.db     # or: ./llm-bridge report ...
 * </pre>
 *
 * <p>Every command prints its results on stdout; an error is one line on stderr naming what is
 * wrong, and the exit code says which kind of error it was ({@link ExitCodes}).
 */
@Command(
        name = "llm-bridge",
        mixinStandardHelpOptions = true,
        versionProvider = LlmBridge.Version.class,
        description = "LLM Bridge on the command line: diagnose the setup, check the connection, query traces and"
                + " report on them.",
        subcommands = {
            DoctorCommand.class,
            CheckCommand.class,
            TracesCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class LlmBridge implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Created by picocli. */
    public LlmBridge() {}

    /** Without a command: the list of commands, and exit code 2. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is missing: doctor, check, traces or report");
    }

    /** Runs the tool on this process's environment, streams and terminal, and exits with its code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        CliContext context =
                new CliContext(System.getenv(), out, err, interactive(), Clock.systemUTC(), ZoneId.systemDefault());
        System.exit(run(context, args));
    }

    /**
     * Runs one command line and returns its exit code; nothing here calls {@code System.exit}.
     *
     * @param context the environment, streams, terminal, clock and zone the command uses
     * @param args    the arguments after {@code llm-bridge}
     * @return one of {@link ExitCodes}
     */
    public static int run(CliContext context, String... args) {
        CommandLine line = commandLine(context);
        return line.execute(args);
    }

    /** The configured command line: the factory that hands commands the context, and the error handlers. */
    static CommandLine commandLine(CliContext context) {
        CommandLine line = new CommandLine(new LlmBridge(), new ContextFactory(context));
        line.setOut(new PrintWriter(new OutputStreamWriter(context.out(), StandardCharsets.UTF_8), true));
        line.setErr(new PrintWriter(new OutputStreamWriter(context.err(), StandardCharsets.UTF_8), true));
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setColorScheme(CommandLine.Help.defaultColorScheme(
                context.interactive() ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
        line.setParameterExceptionHandler(LlmBridge::badArgument);
        line.setExecutionExceptionHandler((e, failed, parseResult) -> failure(context, e, failed));
        listExitCodes(line);
        return line;
    }

    /**
     * Whether a person is watching: stdin and stdout are a terminal. JDK 22 and later return a
     * console even when output is redirected, and say whether it is a terminal with
     * {@code isTerminal()}, which this Java 17 code asks for by reflection.
     */
    @SuppressWarnings("SystemConsoleNull") // null before JDK 22; isTerminal() below covers 22 and later
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException olderJdk) {
            return true; // before JDK 22 a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Every command's help ends with the exit codes, which are the same for all. */
    private static void listExitCodes(CommandLine line) {
        line.getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.HELP);
        line.getSubcommands().values().forEach(LlmBridge::listExitCodes);
    }

    /** One line naming the argument, and where the help is; no usage dump. */
    private static int badArgument(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        String name = failed.getCommandSpec().qualifiedName();
        failed.getErr().println(name + ": " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
        return ExitCodes.USAGE;
    }

    private static int failure(CliContext context, Exception e, CommandLine failed) {
        String name = failed.getCommandSpec().qualifiedName();
        if (e instanceof CliException cli) {
            String hint = cli.exitCode() == ExitCodes.USAGE ? " (see '" + name + " --help')" : "";
            context.err().println(name + ": " + oneLine(cli.getMessage()) + hint);
            return cli.exitCode();
        }
        context.err().println(name + ": unexpected error, please report it: " + e);
        e.printStackTrace(context.err());
        return ExitCodes.INTERNAL;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Hands every command and converter that takes a {@link CliContext} the context. */
    private record ContextFactory(CliContext context) implements IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliContext.class) {
                    return type.cast(c.newInstance(context));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /** {@code --version}: the tool's version and the Java it runs on. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "llm-bridge " + properties().getProperty("version", "(development build)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }

    /** The build facts in {@code llm-bridge.properties} (filtered by Maven). */
    static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = LlmBridge.class.getResourceAsStream("/llm-bridge.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
