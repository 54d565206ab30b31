/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged fat jar, as users get it: its contents, its manifest, java -jar, and the loader's paths. */
class JarIT {

    private static File jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        jar = new File(System.getProperty("mmap4j.jar", "target/mmap4j.jar"));
        assertTrue(jar.isFile(), "the packaged jar " + jar + " (run through failsafe after package)");
    }

    private ChildProcess.Result java(String... args) throws Exception {
        return ChildProcess.java(args).in(dir).run();
    }

    @Test
    void jarHoldsOnlyOurPackagesAndTheNatives() throws Exception {
        try (JarFile j = new JarFile(jar)) {
            Attributes main = j.getManifest().getMainAttributes();
            assertEquals("io.github.mmap4j.cli.Main", main.getValue("Main-Class"));
            assertEquals("io.github.mmap4j", main.getValue("Automatic-Module-Name"));
            assertEquals("ALL-UNNAMED", main.getValue("Enable-Native-Access"));
            boolean hostLibrary = false;
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class")) {
                    assertTrue(name.startsWith("io/github/mmap4j/"), "unrelocated class " + name);
                }
                hostLibrary |= name.equals("natives/linux_64/libmmap4j.so");
            }
            assertTrue(hostLibrary || !System.getProperty("os.arch").contains("64"), "natives/linux_64 missing");
        }
    }

    @Test
    void infoRunsAndLoadingIsSilent() throws Exception {
        ChildProcess.Result r = java("-jar", jar.getPath(), "info");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("page size:      " + Mmap.pageSize()), r.toString());
        assertTrue(r.out.contains("native library: "), r.toString());
        assertEquals("", r.err, "loading must print nothing on stderr (no SLF4J warning)");
    }

    @Test
    void noArgumentsPrintsUsageAndExits2() throws Exception {
        ChildProcess.Result r = java("-jar", jar.getPath());
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("usage:"), r.toString());
    }

    @Test
    void tmpdirPropertyChoosesAPrivateExtractionDirectory() throws Exception {
        Path target = dir.resolve("extract-here");
        ChildProcess.Result r = java("-Dmmap4j.tmpdir=" + target, "-jar", jar.getPath(), "info");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("native library: " + target), r.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        // A second JVM reuses the checked copy.
        ChildProcess.Result again = java("-Dmmap4j.tmpdir=" + target, "-jar", jar.getPath(), "info");
        assertEquals(0, again.exit, again.toString());
        try (java.util.stream.Stream<Path> files = Files.list(target)) {
            // Besides the library, the directory's lock file (other builds' copies are removed under it).
            assertEquals(1, files.filter(f -> !f.getFileName().toString().equals(".lock")).count(),
                    "one extracted library, reused");
        }
    }

    @Test
    void aSharedExtractionDirectoryIsRefused() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        ChildProcess.Result r = java("-Dmmap4j.tmpdir=" + shared, "-jar", jar.getPath(), "info");
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("expected rwx------"), r.toString());
    }

    @Test
    void libraryPathPropertyFailureNamesTheFileAndReason() throws Exception {
        ChildProcess.Result r = java("-Dmmap4j.library.path=" + dir.resolve("nope.so"), "-jar", jar.getPath(), "info");
        assertFalse(r.exit == 0, r.toString());
        assertTrue(r.err.contains("mmap4j: could not load " + dir.resolve("nope.so")), r.toString());
        assertTrue(r.err.contains("mmap4j.library.path"), r.toString());
    }
}
