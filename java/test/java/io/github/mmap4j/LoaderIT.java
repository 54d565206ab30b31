/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mmap4j.ChildProcess.Result;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader in the packaged jar, in child JVMs as users start them: unsupported platforms,
 * checksum mismatches, many JVMs extracting at once, a noexec temp dir.
 */
class LoaderIT {

    private static File jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        jar = new File(System.getProperty("mmap4j.jar", "target/mmap4j.jar"));
        assertTrue(jar.isFile(), "the packaged jar " + jar + " (run through failsafe after package)");
    }

    private Result java(String... args) throws Exception {
        return ChildProcess.java(args).in(dir).run();
    }

    /** The jar's library for this host (the tests run on one of the six): musl's on Alpine. */
    private static String hostResource() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean mac = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac");
        return "natives/" + (mac ? "osx_" : "linux_") + (arch.equals("aarch64") ? "arm64" : "64")
                + (alpine() ? "_musl" : "") + "/libmmap4j." + (mac ? "dylib" : "so");
    }

    private static boolean alpine() {
        return new File("/etc/alpine-release").exists();
    }

    private static void assertNamesSupportAndOverrides(Result r) {
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(r.err.contains("mmap4j: no native library for this platform"), r.toString());
        assertTrue(r.err.contains("linux_64, linux_arm64, linux_64_musl, linux_arm64_musl, osx_64 and osx_arm64"),
                r.toString());
        assertTrue(r.err.contains("-Dmmap4j.library.path="), r.toString());
        assertTrue(r.err.contains("-Dmmap4j.tmpdir="), r.toString());
    }

    /** -Pall-platforms: the six libraries, each with its checksum record, at the loader's paths. */
    @Test
    void theAllPlatformsJarCarriesAllSixLibrariesWithChecksums() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("mmap4j.allPlatforms"), "a host-only build (no -Pall-platforms)");
        try (ZipFile z = new ZipFile(jar)) {
            for (String lib : new String[] {"natives/linux_64/libmmap4j.so", "natives/linux_arm64/libmmap4j.so",
                    "natives/linux_64_musl/libmmap4j.so", "natives/linux_arm64_musl/libmmap4j.so",
                    "natives/osx_64/libmmap4j.dylib", "natives/osx_arm64/libmmap4j.dylib"}) {
                assertRecordDescribes(z, lib);
            }
        }
    }

    /** The host library's record (checksum.cmake's) gives its SHA-256, size and CRC-32. */
    @Test
    void theJarsRecordGivesItsLibrarysDigestSizeAndChecksum() throws Exception {
        try (ZipFile z = new ZipFile(jar)) {
            assertRecordDescribes(z, hostResource());
        }
    }

    /** {@code lib}'s {@code .sha256} record in {@code z}: SHA-256, size and CRC-32 of the library's bytes. */
    private static void assertRecordDescribes(ZipFile z, String lib) throws Exception {
        ZipEntry library = z.getEntry(lib);
        assertTrue(library != null, z.getName() + " lacks " + lib);
        ZipEntry record = z.getEntry(lib + ".sha256");
        assertTrue(record != null, z.getName() + " lacks " + lib + ".sha256");
        String[] fields;
        try (InputStream in = z.getInputStream(record)) {
            fields = new String(readAll(in), StandardCharsets.US_ASCII).trim().split(" ");
        }
        byte[] bytes;
        try (InputStream in = z.getInputStream(library)) {
            bytes = readAll(in);
        }
        StringBuilder sha256 = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
            sha256.append(String.format("%02x", b));
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        assertEquals(Arrays.asList(sha256.toString(), Integer.toString(bytes.length), String.format("%08x", crc.getValue())),
                Arrays.asList(fields), lib + ".sha256");
    }

    @Test
    void anUnsupportedArchitectureNamesTheSupportedListAndBothProperties() throws Exception {
        Result r = java("-Dos.arch=sparc", "-Dmmap4j.tmpdir=" + dir.resolve("x"), "-jar", jar.getPath(), "info");
        assertNamesSupportAndOverrides(r);
        assertTrue(r.err.contains("sparc"), r.toString());
        assertTrue(!Files.exists(dir.resolve("x")), "nothing extracted for an unsupported platform");
    }

    /**
     * The jar's tool with {@code os.name} set to FreeBSD once the JVM runs, before mmap4j loads: JDK 8
     * cannot start with {@code -Dos.name=FreeBSD} at all (it picks its own file system provider by
     * {@code os.name} and fails with "Platform not recognized").
     */
    @Test
    void anUnsupportedOperatingSystemNamesTheSupportedListAndBothProperties() throws Exception {
        String testClasses = new File(LoaderIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getPath();
        Result r = java("-cp", jar.getPath() + File.pathSeparator + testClasses, OsName.class.getName(), "FreeBSD",
                "info");
        assertNamesSupportAndOverrides(r);
        assertTrue(r.err.contains("FreeBSD"), r.toString());
    }

    /**
     * {@code -Dmmap4j.libc} chooses the build, in the jar as users run it: the other libc's build is
     * picked (on glibc the musl build then fails to load, naming its folder), and a value naming no
     * libc is refused with what to pass.
     */
    @Test
    void theLibcPropertyChoosesTheLinuxBuild() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "a choice only Linux has");
        Result bogus = java("-Dmmap4j.libc=uclibc", "-Dmmap4j.tmpdir=" + dir.resolve("bogus"), "-jar", jar.getPath(),
                "info");
        assertNotEquals(0, bogus.exit, bogus.toString());
        assertTrue(bogus.err.contains("-Dmmap4j.libc=uclibc names no C library"), bogus.toString());
        Assumptions.assumeTrue(Boolean.getBoolean("mmap4j.allPlatforms") && !alpine(), "needs the musl build and glibc");
        Result musl = java("-Dmmap4j.libc=musl", "-Dmmap4j.tmpdir=" + dir.resolve("musl"), "-jar", jar.getPath(), "info");
        assertNotEquals(0, musl.exit, musl.toString());
        String resource = hostResource().replace("/libmmap4j", "_musl/libmmap4j");
        assertTrue(musl.err.contains("mmap4j: could not load " + resource), musl.toString());
    }

    /** {@code main(osName, toolArgs...)}: sets {@code os.name}, then runs the jar's tool. */
    static final class OsName {
        public static void main(String[] args) {
            java.nio.file.FileSystems.getDefault(); // JDK 8 picks its provider by os.name on first use
            System.setProperty("os.name", args[0]);
            io.github.mmap4j.cli.Main.main(Arrays.copyOfRange(args, 1, args.length));
        }
    }

    /**
     * A jar whose library is not what its record says (one bit changed, the size kept; the zip
     * entry's own CRC made anew, as any tool that rewrites a jar does): refused, never loaded.
     */
    @Test
    void aChecksumMismatchIsAnErrorThatSaysSo() throws Exception {
        Path altered = dir.resolve("altered.jar");
        copyJar(jar.toPath(), altered, hostResource(), original -> {
            byte[] changed = original.clone();
            changed[changed.length / 2] ^= 0x04;
            return changed;
        });
        Path extractTo = dir.resolve("extract");
        Result r = java("-Dmmap4j.tmpdir=" + extractTo, "-jar", altered.toString(), "info");
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(r.err.contains("checksum mismatch"), r.toString());
        assertTrue(r.err.contains("the jar is damaged or was altered"), r.toString());
        try (Stream<Path> files = Files.list(extractTo)) {
            // A first extraction takes no lock: not even the lock file is left.
            assertEquals("[]", files.map(p -> p.getFileName().toString()).collect(Collectors.toList()).toString(),
                    "nothing left behind, nothing loadable");
        }
    }

    /** Runs {@code mmap4j info} in a JVM that extracts into {@code extractTo}; the copy it made. */
    private Path extractOnce(Path extractTo) throws Exception {
        Result first = java("-Dmmap4j.tmpdir=" + extractTo, "-jar", jar.getPath(), "info");
        assertEquals(0, first.exit, first.toString());
        try (Stream<Path> files = Files.list(extractTo)) {
            return files.filter(f -> f.getFileName().toString().startsWith("libmmap4j-")
                    && !f.getFileName().toString().endsWith(".verified")).findFirst().get();
        }
    }

    /** A previously extracted copy that was changed on disk is replaced, not loaded. */
    @Test
    void aTamperedExtractedCopyIsReplaced() throws Exception {
        Path extractTo = dir.resolve("extract");
        Path library = extractOnce(extractTo);
        byte[] good = Files.readAllBytes(library);
        Files.write(library, new byte[] {0}, StandardOpenOption.APPEND);
        Result again = java("-Dmmap4j.tmpdir=" + extractTo, "-jar", jar.getPath(), "info");
        assertEquals(0, again.exit, again.toString());
        assertTrue(Arrays.equals(good, Files.readAllBytes(library)), "the tampered copy was re-extracted");
    }

    /**
     * A copy that a JVM hashed and recorded ({@code .verified}: later JVMs trust it without hashing)
     * and that is then changed in place, its size and modification time kept: the record no longer
     * fits (the status-change time moved), so the next JVM hashes it, and replaces it.
     */
    @Test
    void aRecordedCopyChangedInPlaceWithItsSizeKeptIsReplaced() throws Exception {
        Path extractTo = dir.resolve("extract");
        Path library = extractOnce(extractTo);
        Path record = library.resolveSibling(library.getFileName() + ".verified");
        Thread.sleep(2_100); // beyond the margin even on a file system that keeps whole seconds
        Result second = java("-Dmmap4j.tmpdir=" + extractTo, "-jar", jar.getPath(), "info");
        assertEquals(0, second.exit, second.toString());
        assertTrue(Files.isRegularFile(record), "the second JVM hashed the settled copy and recorded it");
        byte[] good = Files.readAllBytes(library);
        FileTime modified = Files.getLastModifiedTime(library);
        try (RandomAccessFile raf = new RandomAccessFile(library.toFile(), "rw")) {
            raf.seek(good.length / 2);
            raf.write(good[good.length / 2] ^ 0x5a);
        }
        Files.setLastModifiedTime(library, modified);
        Result third = java("-Dmmap4j.tmpdir=" + extractTo, "-jar", jar.getPath(), "info");
        assertEquals(0, third.exit, third.toString());
        assertTrue(Arrays.equals(good, Files.readAllBytes(library)), "the altered copy was re-extracted");
    }

    @Test
    void eightJvmsStartingTogetherOnAFreshDirectoryAllLoad() throws Exception {
        Path extractTo = dir.resolve("fresh");
        List<ChildProcess.Running> processes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            processes.add(ChildProcess.java("-Dmmap4j.tmpdir=" + extractTo, "-jar", jar.getPath(), "info").in(dir)
                    .start());
        }
        for (int i = 0; i < 8; i++) {
            Result r = processes.get(i).finish();
            assertEquals(0, r.exit, "JVM " + i + ": " + r);
            assertTrue(r.out.contains("native library: " + extractTo), "JVM " + i + ": " + r);
        }
        try (Stream<Path> files = Files.list(extractTo)) {
            // A JVM that found another's copy settled may have recorded it (libmmap4j-<hash>.so.verified).
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock"))
                    .filter(n -> !n.endsWith(".so.verified") && !n.endsWith(".dylib.verified"))
                    .collect(Collectors.toList());
            assertEquals(1, names.size(), "one library (its record and the lock file aside), no temporary files "
                    + "left: " + names);
        }
    }

    /**
     * A temp dir on a real noexec mount gives the clear error; -Dmmap4j.tmpdir elsewhere fixes it.
     * Needs root (mount); skipped with the reason where mounting is not allowed.
     */
    @Test
    void aNoexecTempDirGivesTheClearErrorAndTheTmpdirPropertyFixesIt() throws Exception {
        Path mountPoint = Files.createDirectory(dir.resolve("noexec"));
        Result mount = command("mount", "-t", "tmpfs", "-o", "noexec,nosuid,size=16m", "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(mount.exit == 0, "cannot mount a noexec tmpfs here (needs root): " + mount.err);
        try {
            Result broken = java("-Djava.io.tmpdir=" + mountPoint, "-jar", jar.getPath(), "info");
            assertNotEquals(0, broken.exit, broken.toString());
            assertTrue(broken.err.contains("mmap4j: could not load " + hostResource()), broken.toString());
            assertTrue(broken.err.contains(mountPoint.resolve("mmap4j-" + System.getProperty("user.name"))
                    + " is on a file system mounted noexec (" + mountPoint + ")"), broken.toString());
            assertTrue(broken.err.contains("-Dmmap4j.tmpdir="), broken.toString());

            Path elsewhere = dir.resolve("exec-ok");
            Result fixed = java("-Djava.io.tmpdir=" + mountPoint, "-Dmmap4j.tmpdir=" + elsewhere, "-jar", jar.getPath(),
                    "info");
            assertEquals(0, fixed.exit, fixed.toString());
            assertTrue(fixed.out.contains("native library: " + elsewhere), fixed.toString());
        } finally {
            Result umount = command("umount", mountPoint.toString());
            assertEquals(0, umount.exit, "umount " + mountPoint + ": " + umount);
        }
    }

    /**
     * Another local user (nobody, through {@code setpriv}) attacks the shared
     * extraction directory of a root victim in a sticky, world-writable temp dir:
     * it swaps a symbolic link to a file of the victim's in and out under the
     * directory's name as fast as it can, and puts its own directories (mode 0777
     * and 0700) and a link to a directory of the victim's there. Meanwhile JVMs of
     * the victim start one after another and load. No file outside the directory
     * may change mode (before: a victim file went from 0644 to 0700, because the
     * directory's chmod followed the link), and every JVM must load (before: most
     * failed) from the shared directory or a private fallback, never saying so.
     * Needs root, setpriv and perl (the attacker: a tight loop, no fork per step).
     */
    @Test
    void anotherUserRacingLinksAndDirectoriesCanNeitherRedirectNorBlockExtraction() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a second user");
        Assumptions.assumeTrue(command("setpriv", "--version").exit == 0 && command("perl", "-v").exit == 0,
                "needs setpriv and perl");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        assertEquals(0, command("chmod", "1777", tmp.toString()).exit, "a sticky world-writable temp dir");
        Path victimFile = Files.write(dir.resolve("victim.txt"), "the victim's\n".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(victimFile, PosixFilePermissions.fromString("rw-r--r--"));
        Path victimDir = Files.createDirectory(dir.resolve("victim-dir"));
        Files.setPosixFilePermissions(victimDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shared = tmp.resolve("mmap4j-root");
        String attack = String.join("\n",
                "my ($d, $file, $dir, $seconds) = @ARGV; my $end = time + $seconds; my $i = 0;",
                "while (time < $end) {",
                "  my $kind = $i++ % 4;",
                "  if ($kind == 0) { for (1..2000) { symlink($file, $d); unlink($d); } }",
                "  elsif ($kind == 1) { if (mkdir($d)) { chmod(0777, $d); select(undef, undef, undef, 0.05);"
                        + " rmdir($d); } }",
                "  elsif ($kind == 2) { if (mkdir($d, 0700)) { select(undef, undef, undef, 0.05); rmdir($d); } }",
                "  else { if (symlink($dir, $d)) { select(undef, undef, undef, 0.05); unlink($d); } }",
                "}");
        ChildProcess.Running attacker = ChildProcess.command("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "perl", "-e", attack, shared.toString(), victimFile.toString(), victimDir.toString(),
                "120").in(dir).start();
        int launches = 24;
        int fromShared = 0;
        List<String> failures = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        try {
            for (int i = 0; i < launches; i++) {
                // The victim's own directory from the last launch would end the race (the sticky bit keeps
                // others from removing it): remove it, so every launch meets the attacker again.
                removeIfOwnDirectory(shared);
                Result r = java("-Djava.io.tmpdir=" + tmp, "-jar", jar.getPath(), "info");
                String library = r.out.replaceAll("(?s).*native library: (\\S+).*", "$1");
                if (r.exit != 0 || !library.startsWith(tmp.toString()) || !r.err.isEmpty()) {
                    failures.add("launch " + i + " (must load, and silently): " + r);
                } else if (library.startsWith(shared + "/")) {
                    fromShared++;
                }
                changed.addAll(changedMode(victimFile, "rw-r--r--", i));
                changed.addAll(changedMode(victimDir, "rwxr-xr-x", i));
            }
        } finally {
            attacker.process().destroyForcibly();
        }
        Result attackerRun = attacker.finish();
        assertTrue(attackerRun.err.isEmpty(), "the attacker ran: " + attackerRun);
        System.out.println("extraction race: " + launches + " launches, " + fromShared + " from the shared directory, "
                + (launches - fromShared - failures.size()) + " from a private fallback, " + failures.size()
                + " failed; " + changed.size() + " mode changes outside the directory");
        assertEquals("[]", changed.toString(), "no file outside the directory changes mode");
        assertEquals("[]", failures.toString(), "every launch loads");
        try (Stream<Path> left = Files.list(tmp)) {
            List<String> names = left.map(p -> p.getFileName().toString()).filter(n -> !n.equals("mmap4j-root"))
                    .collect(Collectors.toList());
            assertEquals("[]", names.toString(), "private fallback directories are deleted at exit");
        }
    }

    /**
     * The names in an extraction directory but its lock file ({@code .lock}, which stays: other
     * builds' copies are removed under it).
     */
    private static List<String> libraryFiles(Path extractTo) throws IOException {
        try (Stream<Path> files = Files.list(extractTo)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock"))
                    .collect(Collectors.toList());
        }
    }

    /** A note when {@code file}'s mode is not {@code expected} (then set back, to catch the next change too). */
    private static List<String> changedMode(Path file, String expected, int launch) throws IOException {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        if (mode.equals(expected)) {
            return java.util.Collections.emptyList();
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(expected));
        return java.util.Collections.singletonList(file + " became " + mode + " in launch " + launch);
    }

    /** Deletes {@code dir} and its files when it is a directory of ours (never following a link). */
    private static void removeIfOwnDirectory(Path dir) throws IOException {
        try {
            java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(dir,
                    java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory() || !a.owner().getName().equals(System.getProperty("user.name"))) {
                return;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private Result command(String... cmd) throws Exception {
        return ChildProcess.command(cmd).in(dir).run();
    }

    interface Rewrite {
        byte[] apply(byte[] original);
    }

    /** Copies a jar, rewriting one entry. */
    private static void copyJar(Path from, Path to, String entry, Rewrite rewrite) throws IOException {
        boolean found = false;
        try (ZipFile in = new ZipFile(from.toFile());
                OutputStream file = Files.newOutputStream(to);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry z = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(z)) {
                    bytes = readAll(s);
                }
                if (z.getName().equals(entry)) {
                    bytes = rewrite.apply(bytes);
                    found = true;
                }
                out.putNextEntry(new ZipEntry(z.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertTrue(found, from + " has no entry " + entry);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        int n;
        while ((n = in.read(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}
