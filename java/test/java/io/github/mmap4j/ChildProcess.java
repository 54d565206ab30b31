/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The one way tests start another process: a JVM running test code ({@link #jvm}), the JVM under
 * test as users start it ({@link #java}, for {@code java -jar}), or any program ({@link #command}).
 * Each is bounded in time, its stdin is empty, and its stdout and stderr can be read while it runs
 * ({@link Running#out()}); every run ends in one {@link Result}.
 *
 * <pre>{@code
 * Result r = ChildProcess.jvm(Children.class, "stale-views", file).in(dir).options("-Xint").timeout(110).run();
 * }</pre>
 *
 * <p>A child JVM started {@link #in} a directory writes its crash report there, and the report's
 * first 40 lines are added to {@link Result#err}; which options go with which Java version is
 * {@link TestJvm}'s business.
 */
public final class ChildProcess {

    /** Lines of a crash report shown in {@link Result#err}. */
    private static final int REPORT_LINES = 40;

    private static final AtomicInteger STARTED = new AtomicInteger();

    private final List<String> program;
    private final Class<?> main;
    private final List<String> args;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> wrapper = new ArrayList<>();
    private Path dir;
    private long timeoutSeconds = 120;

    private ChildProcess(List<String> program, Class<?> main, List<String> args) {
        this.program = program;
        this.main = main;
        this.args = args;
    }

    /**
     * A JVM running {@code main} from the tests' class path: the JVM under test with
     * {@link TestJvm#childCommand()}'s options, then {@link #options}.
     */
    public static ChildProcess jvm(Class<?> main, String... args) {
        return new ChildProcess(TestJvm.childCommand(), main, Arrays.asList(args));
    }

    /** The JVM under test's {@code java} with these arguments and nothing else, as users start it. */
    public static ChildProcess java(String... args) {
        return new ChildProcess(new ArrayList<>(Arrays.asList(TestJvm.java())), null, Arrays.asList(args));
    }

    /** Any program, found on {@code PATH}; {@code command.get(0)} is the program. */
    public static ChildProcess command(List<String> command) {
        return new ChildProcess(new ArrayList<>(command), null, new ArrayList<>());
    }

    /** Any program, found on {@code PATH}. */
    public static ChildProcess command(String... command) {
        return command(Arrays.asList(command));
    }

    /** JVM options before the class path, for a {@link #jvm} child. */
    public ChildProcess options(List<String> options) {
        if (main == null) {
            throw new IllegalStateException("JVM options are for jvm(...) children; java(...) takes them as args");
        }
        jvmOptions.addAll(options);
        return this;
    }

    /** JVM options before the class path, for a {@link #jvm} child. */
    public ChildProcess options(String... options) {
        return options(Arrays.asList(options));
    }

    /**
     * Runs the child under a command that then {@code exec}s it, such as
     * {@code prlimit --memlock=65536:65536} or {@code setpriv --reuid=65534}, to change its limits,
     * capabilities or user.
     */
    public ChildProcess under(List<String> wrapperCommand) {
        wrapper.addAll(wrapperCommand);
        return this;
    }

    /** The working directory, where a child JVM also leaves its crash report. */
    public ChildProcess in(Path workDir) {
        this.dir = workDir;
        return this;
    }

    /** How long {@link Running#finish()} waits before it kills the child (default 120 s). */
    public ChildProcess timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** The whole command line. */
    private List<String> commandLine(String crashReport) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(program);
        if (main != null) {
            if (crashReport != null) {
                cmd.add("-XX:ErrorFile=" + crashReport);
            }
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(main.getName());
        }
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child; {@link Running#finish()} collects it. */
    public Running start() throws IOException {
        String reportPrefix = "hs_err_child" + STARTED.incrementAndGet() + "_";
        String report = main != null && dir != null ? dir.resolve(reportPrefix + "%p.log").toString() : null;
        ProcessBuilder pb = new ProcessBuilder(commandLine(report));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Path output = Files.createTempDirectory("mmap4j-child");
        pb.redirectOutput(output.resolve("stdout").toFile()).redirectError(output.resolve("stderr").toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            delete(output);
            throw e;
        }
        p.getOutputStream().close();
        return new Running(p, output, report == null ? null : reportPrefix, this);
    }

    private static void delete(Path output) throws IOException {
        Files.deleteIfExists(output.resolve("stdout"));
        Files.deleteIfExists(output.resolve("stderr"));
        Files.deleteIfExists(output);
    }

    /**
     * Starts the child and waits for its end. A program that cannot be started ends as a shell
     * reports it: exit status 127, the reason on stderr.
     */
    public Result run() throws IOException, InterruptedException {
        Running running;
        try {
            running = start();
        } catch (IOException e) {
            return new Result(127, "", e.toString());
        }
        return running.finish();
    }

    /**
     * A started child: its output so far, and its end. The output goes to files, not pipes: it is
     * all there after the child was signalled or killed ({@code Process.destroy} closes the pipes
     * at once, losing what a shutdown hook still prints), and a child never blocks on a full pipe.
     */
    public static final class Running {
        private final Process process;
        private final Path output;
        private final String reportPrefix;
        private final ChildProcess spec;

        Running(Process process, Path output, String reportPrefix, ChildProcess spec) {
            this.process = process;
            this.output = output;
            this.reportPrefix = reportPrefix;
            this.spec = spec;
        }

        public Process process() {
            return process;
        }

        /** The process id (JDK 8 has no {@code Process.pid()}). */
        public long pid() throws ReflectiveOperationException {
            try {
                return (Long) Process.class.getMethod("pid").invoke(process); // Java 9+
            } catch (NoSuchMethodException e) {
                java.lang.reflect.Field pid = process.getClass().getDeclaredField("pid"); // JDK 8's UNIXProcess
                pid.setAccessible(true);
                return pid.getInt(process);
            }
        }

        /** What the child wrote to stdout so far. */
        public String out() throws IOException {
            return read("stdout");
        }

        /** What the child wrote to stderr so far. */
        public String err() throws IOException {
            return read("stderr");
        }

        /**
         * Waits for the end (killing the child after the timeout, which stderr then says), and
         * collects its output and crash report.
         */
        public Result finish() throws IOException, InterruptedException {
            String killed = "";
            if (!process.waitFor(spec.timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                killed = "\n--- killed: still running after " + spec.timeoutSeconds + " s";
            }
            int exit = process.waitFor();
            Result r = new Result(exit, out(), err() + killed + crashReport());
            delete(output);
            return r;
        }

        private String read(String stream) throws IOException {
            return new String(Files.readAllBytes(output.resolve(stream)), StandardCharsets.UTF_8);
        }

        private String crashReport() throws IOException {
            if (reportPrefix == null) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            try (Stream<Path> files = Files.list(spec.dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(reportPrefix)) {
                        List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                        text.append("\n--- ").append(name).append(" (first ").append(REPORT_LINES)
                                .append(" lines)\n")
                                .append(String.join("\n", lines.subList(0, Math.min(REPORT_LINES, lines.size()))));
                    }
                }
            }
            return text.toString();
        }
    }

    /** Exit status, stdout and stderr of a finished run; also of the tool run in-process ({@code cli.Cli}). */
    public static final class Result {
        public final int exit;
        public final String out;
        public final String err;

        public Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        /** Fails unless the child exited 0 without a crash report; returns this. */
        public Result assertEndedNormally() {
            assertEquals(0, exit, "the child must end normally:\n" + this);
            assertFalse(err.contains("hs_err"), "the child crashed:\n" + this);
            return this;
        }

        @Override
        public String toString() {
            return "exit=" + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }
}
