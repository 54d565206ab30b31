/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM under test (JDK 8 to 25) and how the tests start more of it: the one place that knows
 * which JVM option goes with which Java version.
 *
 * <p>The JVM under test is the one running the tests: Surefire and Failsafe fork
 * {@code mmap4j.testJvm}, and pass its path as that system property. The forked JVM's own options
 * ({@code mmap4j.argLine} in the pom) must be fixed before it starts, when Maven cannot know the
 * version without a build step that a run of only the test goals skips; so the pom passes one
 * line that every JDK accepts, and what depends on the version is here.
 */
public final class TestJvm {

    /** The feature version of the running JVM: 8 for "1.8", then 9, 10, 11, ... */
    public static final int VERSION = feature(System.getProperty("java.specification.version"));

    private TestJvm() {
    }

    static int feature(String specificationVersion) {
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int dot = v.indexOf('.');
        return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
    }

    /** Path of the JVM under test's {@code java}. */
    public static String java() {
        String configured = System.getProperty("mmap4j.testJvm");
        if (configured != null && new File(configured).canExecute()) {
            return configured;
        }
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /**
     * The command that starts a child JVM to run test code from the class path, up to and including
     * its version-dependent options; the caller appends its own options, the class path and the main
     * class. Such a child gets what the forked test JVM gets, and never leaves a core dump when it
     * crashes (some tests crash one on purpose):
     * <ul>
     * <li>{@code --enable-native-access=ALL-UNNAMED} from JDK 17 (JDK 24+ warn without it when the
     * library is loaded from the class path; older JVMs refuse the option);
     * <li>{@code -XX:-CreateCoredumpOnCrash} from JDK 9 (no core file, and no abort() that a piped
     * {@code core_pattern} would still receive; exit status 1 instead of 134 after hs_err);
     * <li>on JDK 8, which has no such option on Linux or macOS (its {@code CreateMinidumpOnCrash} is
     * for Windows) and dumps core as {@code RLIMIT_CORE} allows: the JVM is started through
     * {@code /bin/sh} with {@code ulimit -c 0}, which then {@code exec}s it (same process, same
     * pid, same exit status).
     * </ul>
     * {@code java -jar} runs (the jar and loader tests) use {@link #java()} alone, as users start it.
     */
    static List<String> childCommand() {
        List<String> cmd = new ArrayList<>();
        if (VERSION < 9) {
            cmd.addAll(Arrays.asList("/bin/sh", "-c", "ulimit -c 0 && exec \"$0\" \"$@\""));
        }
        cmd.add(java());
        if (VERSION >= 17) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        if (VERSION >= 9) {
            cmd.add("-XX:-CreateCoredumpOnCrash");
        }
        return cmd;
    }
}
