/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.nio.file.Paths;
import java.nio.charset.StandardCharsets;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
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
            assertEquals("true", main.getValue("Multi-Release"));
            assertTrue(j.getEntry("META-INF/versions/9/module-info.class") != null, "the module descriptor");
            assertEquals("ALL-UNNAMED", main.getValue("Enable-Native-Access"));
            boolean hostLibrary = false;
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class") && !name.equals("META-INF/versions/9/module-info.class")) {
                    String base = name.startsWith("META-INF/versions/9/") ? name.substring(20) : name;
                    assertTrue(base.startsWith("io/github/mmap4j/"), "unrelocated class " + name);
                }
                hostLibrary |= name.equals("natives/linux_64/libmmap4j.so");
            }
            assertTrue(hostLibrary || !System.getProperty("os.arch").contains("64"), "natives/linux_64 missing");
        }
    }

    /**
     * Class files are stored, not deflated (java/build/StoreClasses.java, run by the pom after
     * the shade): a fresh JVM's class loader reads them without its inflater, which it runs
     * interpreted (issue 27: the first map 0.8 to 2.2 ms sooner). The native libraries stay
     * deflated: only a first extraction reads one, once. The jar still reads as a jar, classes
     * included (CRC and size match), since every other test here loads from it.
     */
    @Test
    void classFilesAreStoredAndTheNativesDeflated() throws Exception {
        int classes = 0;
        int natives = 0;
        try (JarFile j = new JarFile(jar)) {
            assertTrue(j.getManifest() != null, "the manifest, still where a JarInputStream finds it");
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (name.endsWith(".class")) {
                    assertEquals(JarEntry.STORED, entry.getMethod(), name + " is deflated");
                    assertEquals(entry.getSize(), entry.getCompressedSize(), name);
                    classes++;
                } else if (name.endsWith("/libmmap4j.so") || name.endsWith("/libmmap4j.dylib")) {
                    assertEquals(JarEntry.DEFLATED, entry.getMethod(), name + " is stored");
                    natives++;
                }
            }
        }
        assertTrue(classes > 50, classes + " classes");
        assertTrue(natives > 0, "no native library");
    }

    /**
     * The reclaimer thread, started by a first map from the jar as users run it, takes nothing
     * from the application thread that mapped: on JDK 9+ the jar's Java 9 {@code Threads} class
     * makes it (the suite's own runs use the Java 8 class, from a directory).
     */
    @Test
    void fromTheJarTheReclaimerThreadTakesNothingFromTheThreadThatMapsFirst() throws Exception {
        try (JarFile j = new JarFile(jar)) {
            assertTrue(j.getEntry("META-INF/versions/9/io/github/mmap4j/internal/Threads.class") != null,
                    "the Java 9 Threads class");
        }
        String testClasses = new File(JarIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getPath();
        ChildProcess.Result r = java("-cp", jar.getPath() + File.pathSeparator + testClasses,
                ReclaimerChild.class.getName(), "isolation");
        r.assertEndedNormally();
        assertTrue(r.out.contains("done"), r.toString());
    }

    /**
     * The jar as a named module (JDK 17's javac and java): a module that requires it maps a file
     * through the API, while {@code io.github.mmap4j.internal} is neither compilable against nor
     * reachable by reflection, and the package-private natives cannot be made accessible.
     */
    @Test
    void asANamedModuleOnlyTheApiIsExported() throws Exception {
        Path jdk = Paths.get(System.getProperty("mmap4j.moduleJdk", "/usr/lib/jvm/java-17-openjdk-amd64"));
        assumeTrue(Files.isExecutable(jdk.resolve("bin/javac")), "no JDK 17+ at " + jdk + " (-Dmmap4j.moduleJdk)");
        Path src = Files.createDirectories(dir.resolve("src/app/app"));
        Files.write(dir.resolve("src/app/module-info.java"),
                "module app { requires io.github.mmap4j; }".getBytes(StandardCharsets.UTF_8));
        Files.write(src.resolve("Main.java"), String.join("\n",
                "package app;",
                "public class Main {",
                "  public static void main(String[] a) throws Exception {",
                "    java.nio.ByteBuffer b = io.github.mmap4j.Mmap.map(java.nio.file.Paths.get(a[0]),",
                "        io.github.mmap4j.MapMode.READ_ONLY);",
                "    System.out.println(\"first byte \" + b.get(0));",
                "    io.github.mmap4j.Mmap.unmap(b);",
                "    Class<?> loader = Class.forName(\"io.github.mmap4j.internal.NativeLibrary\");",
                "    try { loader.getMethod(\"loadedFrom\").invoke(null); System.out.println(\"internal: reached\"); }",
                "    catch (IllegalAccessException e) { System.out.println(\"internal: \" + e.getClass().getName()); }",
                "    java.lang.reflect.Method unmap = Class.forName(\"io.github.mmap4j.Native\")",
                "        .getDeclaredMethod(\"unmap\", long.class, long.class);",
                "    try { unmap.setAccessible(true); System.out.println(\"native: reached\"); }",
                "    catch (RuntimeException e) { System.out.println(\"native: \" + e.getClass().getName()); }",
                "  }",
                "}").getBytes(StandardCharsets.UTF_8));
        Path data = Files.write(dir.resolve("data.bin"), new byte[] {42});
        Path out = dir.resolve("out");
        ChildProcess.Result compiled = ChildProcess.command(jdk.resolve("bin/javac").toString(), "-p", jar.getPath(),
                "-d", out.toString(), dir.resolve("src/app/module-info.java").toString(),
                src.resolve("Main.java").toString()).run();
        assertEquals(0, compiled.exit, compiled.toString());
        ChildProcess.Result run = ChildProcess.command(jdk.resolve("bin/java").toString(),
                "--enable-native-access=io.github.mmap4j", "-p", jar.getPath() + File.pathSeparator + out, "-m",
                "app/app.Main", data.toString()).run();
        assertEquals(0, run.exit, run.toString());
        String ran = run.out + run.err;
        assertTrue(ran.contains("first byte 42"), ran);
        assertTrue(ran.contains("internal: java.lang.IllegalAccessException"), ran);
        // The package is exported, not opened: its package-private natives stay out of reach.
        assertTrue(ran.contains("native: java.lang.reflect.InaccessibleObjectException"), ran);

        // Compiling against the internals: refused by javac.
        Files.write(src.resolve("Main.java"), ("package app; public class Main { String p = "
                + "io.github.mmap4j.internal.NativeLibrary.loadedFrom(); }").getBytes(StandardCharsets.UTF_8));
        ChildProcess.Result refused = ChildProcess.command(jdk.resolve("bin/javac").toString(), "-p", jar.getPath(),
                "-d", out.toString(), dir.resolve("src/app/module-info.java").toString(),
                src.resolve("Main.java").toString()).run();
        String message = refused.out + refused.err;
        assertNotEquals(0, refused.exit, message);
        assertTrue(message.contains("package io.github.mmap4j.internal is not visible")
                || message.contains("does not export io.github.mmap4j.internal"), message);
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
            // Besides the copy: the directory's lock file (loading JVMs hold it shared; see OldCopies)
            // and the record of the copy's verification (.verified, written by the JVM that hashed it).
            java.util.List<String> names = files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.equals(".lock")).collect(java.util.stream.Collectors.toList());
            assertEquals(1, names.stream().filter(n -> n.endsWith(".so") || n.endsWith(".dylib")).count(),
                    "one extracted library, reused: " + names);
            assertTrue(names.stream().allMatch(n -> n.endsWith(".so") || n.endsWith(".dylib")
                    || n.endsWith(".verified")), "nothing else: " + names);
            assertTrue(names.size() <= 2, "at most the copy and its record: " + names);
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
