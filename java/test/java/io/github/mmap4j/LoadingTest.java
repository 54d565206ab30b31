/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading the library in a fresh JVM ({@link LoadingChild}, on the JVM under
 * test, {@code -Dmmap4j.testJvm}): a first call on an interrupted thread loads
 * and leaves the flag set (JDK 8's file channels refuse interrupted threads),
 * and a failed load is retried by the next call instead of leaving mmap4j's
 * classes unusable ({@code NoClassDefFoundError}) for the JVM's life.
 */
class LoadingTest {

    @TempDir
    Path dir;

    private ChildProcess.Result child(List<String> options, String... args) throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(LoadingChild.class, args).in(dir).options(options).timeout(60).run();
        assertEquals(0, r.exit, r.toString());
        return r;
    }

    private Path data() throws Exception {
        return Files.write(dir.resolve("data.bin"), new byte[] {42});
    }

    @Test
    void aFirstCallOnAnInterruptedThreadLoadsAndLeavesTheFlagSet() throws Exception {
        Path data = data();
        Path extractTo = dir.resolve("fresh");
        // Twice: the first JVM extracts, the second checks and reuses the extracted copy.
        for (String run : Arrays.asList("extracting", "reusing")) {
            ChildProcess.Result r = child(Arrays.asList("-Dmmap4j.tmpdir=" + extractTo), "interrupted", data.toString());
            assertTrue(r.out.contains("first call: ok: page size "), run + ": " + r);
            assertTrue(r.out.contains("still interrupted: true"), run + ": " + r);
            assertTrue(r.out.contains("map: ok: mapped, first byte 42"), run + ": " + r);
            assertTrue(r.out.contains("loaded from " + extractTo), run + ": " + r);
        }
    }

    /**
     * The first map's path spins no class and makes no reflective call that the JDK would spin
     * method handles for (issue 27: each costs a fresh JVM milliseconds). Seen on JDK 25: checking
     * the extraction directory's mode through {@code PosixFileAttributes.permissions()} built an
     * {@code EnumSet}, whose first use reads the enum's values reflectively: 2 to 3 ms of a first map.
     * Lambdas and regular expressions have been kept off that path since issue 14. And what only a
     * failure, a range call, a close or {@code protect} needs (issue 27, eighth pass: each class
     * costs a fresh JVM 0.15 to 0.5 ms): {@code Errors}, the state updater's holder and the
     * {@code AtomicIntegerFieldUpdater} it makes, the forwarder's setting.
     */
    @Test
    void theFirstMapSpinsNoLambdaNoRegularExpressionAndNoReflectiveCall() throws Exception {
        Path data = data();
        Path extractTo = dir.resolve("first-map");
        for (String run : Arrays.asList("extracting", "reusing")) {
            ChildProcess.Result r = child(Arrays.asList("-verbose:class", "-Dmmap4j.tmpdir=" + extractTo), "first-map",
                    data.toString());
            assertTrue(r.out.contains("first map: done") && r.out.contains("first byte 42"), run + ": " + r);
            String during = r.out.substring(r.out.indexOf("first map: start"), r.out.indexOf("first map: done"));
            List<String> spun = Stream.of(during.split("\\s+")).filter(LoadingTest::spun)
                    .filter(token -> !UNSHADED_SLF4J || !reflective(token)).collect(Collectors.toList());
            assertEquals(Collections.emptyList(), spun, run + ": classes the first map should not need");
        }
    }

    /**
     * Whether the real SLF4J is on the class path: the build's own tests run on the unshaded
     * loader, whose SLF4J looks up its bindings with a reflective call; the jar's relocated SLF4J
     * makes none (the suite against the jar, {@code -Dmmap4j.testJar}, checks that too).
     */
    private static final boolean UNSHADED_SLF4J = LoadingTest.class.getClassLoader()
            .getResource("org/slf4j/LoggerFactory.class") != null;

    /** A class name from a {@code -verbose:class} line that only a costly first use would load. */
    private static boolean spun(String token) {
        return token.equals("java.util.RegularEnumSet") || token.equals("java.util.JumboEnumSet")
                || reflective(token) || token.equals("java.util.regex.Pattern")
                || token.startsWith("io.github.mmap4j.") && token.contains("$$Lambda")
                || DEFERRED.contains(token);
    }

    /** Classes the first map does without since issue 27's eighth pass. */
    private static final List<String> DEFERRED = Arrays.asList("io.github.mmap4j.Errors",
            "io.github.mmap4j.Mapping$State", "io.github.mmap4j.Mapping$Rare", "io.github.mmap4j.Guard$Forwarder",
            "java.util.concurrent.atomic.AtomicIntegerFieldUpdater");

    /** A reflective call's accessor, spun on first use (JDK 8 after 15 calls; JDK 18+ at once). */
    private static boolean reflective(String token) {
        return token.startsWith("jdk.internal.reflect.MethodHandleAccessorFactory")
                || token.startsWith("sun.reflect.GeneratedMethodAccessor")
                || token.startsWith("jdk.internal.reflect.GeneratedMethodAccessor");
    }

    /**
     * A fresh JVM's first map is nearly all class loading, and its thread needs the native library
     * before anything else: so the map starts the reclaimer thread at its beginning, and that
     * thread loads the classes the map goes on to need while the mapping thread loads the library
     * (issue 27, thirteenth pass). The child holds the mapping thread back after the library until
     * another thread asked for the last of them (or 20 s went by): before, none did.
     */
    @Test
    void theReclaimerThreadLoadsTheFirstMapsLaterClassesWhileTheLibraryLoads() throws Exception {
        Path data = data();
        ChildProcess.Result r = child(Arrays.asList("-Dmmap4j.tmpdir=" + dir.resolve("preloaded")), "preloaded",
                data.toString());
        assertTrue(r.out.contains("first byte 42"), r.toString());
        // Not on JDK 10 to 14, whose biased locks make a second thread dearer than the classes it loads.
        assumeTrue(r.out.contains("loads ahead: true"), "this JDK biases locks from its start: " + r.out);
        for (String name : LoadingChild.AHEAD) {
            assertTrue(r.out.contains("asked for " + name + " first: " + Reclaimer.THREAD_NAME), name + ": " + r);
        }
    }

    @Test
    void aFailedExtractionIsRetriedByTheNextCall() throws Exception {
        Path data = data();
        Path notADirectory = Files.write(dir.resolve("not-a-directory"), new byte[0]);
        Path good = dir.resolve("good");
        ChildProcess.Result r = child(Arrays.asList("-Dmmap4j.tmpdir=" + notADirectory), "retry-tmpdir",
                data.toString(), good.toString());
        String failed = "java.lang.UnsatisfiedLinkError: mmap4j: could not extract ";
        assertTrue(r.out.contains("first call: " + failed), r.toString());
        assertTrue(r.out.contains("second call: " + failed), "the same clear error, not NoClassDefFoundError: " + r);
        assertTrue(r.out.contains("after fixing: ok: page size "), r.toString());
        assertTrue(r.out.contains("map: ok: mapped, first byte 42"), r.toString());
        assertTrue(r.out.contains("loaded from " + good), r.toString());
        assertTrue(!r.out.contains("NoClassDefFoundError") && !r.err.contains("NoClassDefFoundError"), r.toString());
    }

    @Test
    void aFailedLoadOfANamedLibraryIsRetriedByTheNextCall() throws Exception {
        Path data = data();
        Path missing = dir.resolve("no-such-libmmap4j.so");
        ChildProcess.Result r = child(Arrays.asList("-Dmmap4j.library.path=" + missing), "retry-library-path",
                data.toString());
        String failed = "java.lang.UnsatisfiedLinkError: mmap4j: could not load " + missing;
        assertTrue(r.out.contains("first call: " + failed), r.toString());
        assertTrue(r.out.contains("second call: " + failed), r.toString());
        assertTrue(r.out.contains("after fixing: ok: mapped, first byte 42"), r.toString());
    }

    /**
     * The shared directory ({@code ${java.io.tmpdir}/mmap4j-<user>}) is a link to a
     * file of the user's, a directory of the user's with another mode, or a file:
     * it is left exactly as found (never chmod'ed: a link would carry the chmod to
     * its target), and the library loads from a private directory, deleted at exit.
     */
    @Test
    void aSharedDirectoryThatIsNotAsExpectedIsLeftAloneAndAPrivateOneUsed() throws Exception {
        Path data = data();
        String name = "mmap4j-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        Path victim = Files.write(dir.resolve("victim.txt"), new byte[] {1});
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        for (String kind : Arrays.asList("link to a file", "directory 0755", "regular file")) {
            Path tmp = Files.createDirectory(dir.resolve("tmp-" + kind.replace(' ', '-')));
            Path shared = tmp.resolve(name);
            switch (kind) {
                case "link to a file":
                    Files.createSymbolicLink(shared, victim);
                    break;
                case "directory 0755":
                    Files.createDirectory(shared);
                    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
                    break;
                default:
                    Files.write(shared, new byte[] {2});
            }
            ChildProcess.Result r = child(Arrays.asList("-Djava.io.tmpdir=" + tmp), "load", data.toString());
            assertTrue(r.out.contains("map: ok: mapped, first byte 42"), kind + ": " + r);
            assertTrue(r.out.contains("loaded from " + tmp.resolve(name) + "-"), kind + ": " + r);
            // JDK 24+ warns about System.load from the class path ("WARNING: ..."): not mmap4j's words.
            assertEquals("", r.err.replaceAll("(?m)^WARNING: .*$", "").trim(),
                    kind + ": the fallback is silent: " + r);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)), kind);
            if (kind.startsWith("directory")) {
                assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared,
                        LinkOption.NOFOLLOW_LINKS)), kind + ": left as found");
            }
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(Collections.singletonList(shared), left.collect(Collectors.toList()),
                        kind + ": the private directory is gone after exit, the shared name is as found");
            }
        }
    }

    /**
     * A library of another build named by {@code -Dmmap4j.library.path}: refused before anything
     * is bound, the message naming both builds and what to do; then, the property gone, the jar's
     * copy loads. Two such libraries ({@code native/CMakeLists.txt}): one reporting another
     * build identity, one older than the check (it binds a native the classes lack).
     */
    @Test
    void aLibraryOfAnotherBuildIsRefusedNamingBothBuilds() throws Exception {
        String builds = System.getProperty("mmap4j.otherBuilds", "none");
        Path other = Paths.get(builds, "libmmap4j_other_build.so");
        Path old = Paths.get(builds, "libmmap4j_old_build.so");
        assumeTrue(Files.isRegularFile(other) && Files.isRegularFile(old),
                "no libraries of other builds in -Dmmap4j.otherBuilds=" + builds + " (a build without the C tests)");
        Path data = data();
        String these = "these classes are mmap4j " + Version.VERSION + " (native interface ";
        ChildProcess.Result r = child(Arrays.asList("-Dmmap4j.library.path=" + other), "retry-library-path",
                data.toString());
        String refused = "java.lang.UnsatisfiedLinkError: mmap4j: could not load " + other + " named by "
                + "-Dmmap4j.library.path: the library is mmap4j 0.0.9 (native interface 0123456789abcdef), " + these;
        assertTrue(r.out.contains("first call: " + refused), r.toString());
        assertTrue(r.out.contains("second call: " + refused), r.toString());
        assertTrue(r.out.contains("after fixing: ok: mapped, first byte 42"), r.toString());

        r = child(Arrays.asList("-Dmmap4j.library.path=" + old), "retry-library-path", data.toString());
        refused = "java.lang.UnsatisfiedLinkError: mmap4j: could not load " + old + " named by -Dmmap4j.library.path: "
                + "it is of another build of mmap4j, older than these classes or newer (it binds a native these "
                + "classes do not declare: ";
        assertTrue(r.out.contains("first call: " + refused), r.toString());
        assertTrue(r.out.contains(these), r.toString());
        assertTrue(r.out.contains("after fixing: ok: mapped, first byte 42"), r.toString());
    }

    /**
     * Copies of other builds that no JVM loaded for a day go once a JVM that tidies (one that
     * extracts, hashes or marks its copy) has loaded its own, with their records and leftovers of
     * extractions that died; a copy loaded lately (another version's, another platform's) and
     * files that are not mmap4j's stay. While another JVM holds the directory's lock (it may be
     * loading one of them), nothing goes.
     */
    @Test
    void copiesOfOtherBuildsGoOnceNoJvmCanBeLoadingThem() throws Exception {
        Path data = data();
        Path into = dir.resolve("extracted");
        List<String> options = Arrays.asList("-Dmmap4j.tmpdir=" + into);
        ChildProcess.Result r = child(options, "load", data.toString());
        assertTrue(r.out.contains("map: ok: mapped, first byte 42"), r.toString());
        // A first extraction takes no lock: the lock file comes with the next JVM (it hashes the copy once).
        assertEquals(1, names(into).size(), "the copy alone: " + names(into));
        child(options, "load", data.toString());
        Set<String> ours = names(into);
        ours.removeIf(name -> name.endsWith(".verified"));
        assertEquals(2, ours.size(), "the copy and the lock file: " + ours);

        // With the idle copies go their records, and records whose copy is gone.
        List<String> others = Arrays.asList("libmmap4j-0123456789abcdef.so", "libmmap4j-fedcba9876543210.dylib",
                ".extract-1a2b-3c.tmp", "libmmap4j-0123456789abcdef.so.verified",
                "libmmap4j-00000000000000bb.so.verified");
        Path unrelated = Files.write(into.resolve("notes.txt"), new byte[] {1});
        FileTime twoDaysAgo = FileTime.fromMillis(System.currentTimeMillis() - 48 * 3_600_000L);
        for (String other : others) {
            Files.setLastModifiedTime(Files.write(into.resolve(other), new byte[] {7}), twoDaysAgo);
        }
        // A first extraction writes its temporary file without the lock: one from the last hour stays.
        Path writing = Files.write(into.resolve(".extract-5d6e-7f.tmp"), new byte[] {6});
        Path inUse = Files.write(into.resolve("libmmap4j-00000000000000aa.so"), new byte[] {8});
        Files.setLastModifiedTime(Files.write(into.resolve(inUse.getFileName() + ".verified"), new byte[] {9}),
                twoDaysAgo);
        // Another JVM in the middle of loading: it holds the lock shared.
        try (FileChannel lockFile = FileChannel.open(into.resolve(".lock"), StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileLock loading = lockFile.lock(0, Long.MAX_VALUE, true)) {
            child(options, "load", data.toString());
            for (String other : others) {
                assertTrue(Files.exists(into.resolve(other)), other + " stays while another JVM may load it");
            }
        }
        // JVMs whose copy is recorded and was marked within the hour tidy nothing (no lock to take):
        // the JVM that marks it, at most hourly, does. Make the next one that JVM.
        for (String name : ours) {
            if (name.startsWith("libmmap4j-")) {
                Files.setLastModifiedTime(into.resolve(name),
                        FileTime.fromMillis(System.currentTimeMillis() - 2 * 3_600_000L));
            }
        }
        child(options, "load", data.toString());
        Set<String> left = names(into);
        assertTrue(left.remove(unrelated.getFileName().toString()), "a file that is not mmap4j's stays");
        assertTrue(left.remove(inUse.getFileName().toString()), "a copy another JVM loaded lately stays");
        Path inUseRecord = into.resolve(inUse.getFileName() + ".verified");
        assertTrue(left.remove(inUseRecord.getFileName().toString()), "and its record");
        assertTrue(left.remove(writing.getFileName().toString()), "a temporary file of the last hour stays");
        // Our copy's record, if a JVM here found it settled and recorded it, stays with it.
        left.removeIf(name -> name.endsWith(".verified") && ours.contains(name.substring(0, name.length() - 9)));
        assertEquals(ours, left, "the idle copies, their records and the leftovers are gone");
    }

    /**
     * A first extraction (no copy in the directory yet) writes and loads its copy without the
     * directory's lock, whose first use (the JVM's first {@code FileChannel}) costs a fresh JVM 2 to
     * 3 ms (issue 27, thirteenth pass): it loads while another JVM holds the lock exclusively (a
     * cleaner), where taking it shared would wait. Safe without it: no cleaner takes a copy written
     * within the day, nor a temporary file written within the hour.
     */
    @Test
    void aFirstExtractionLoadsWithoutTheLock() throws Exception {
        Path data = data();
        Path into = Files.createDirectory(dir.resolve("first"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        loadsWhileACleanerHoldsTheLock(into, data);
    }

    /**
     * JVMs starting at once into an empty directory all extract, each without the lock, and all
     * load: each writes a temporary file of its own and renames it onto the one name (the same
     * bytes), and the JVMs after them (which take the lock and tidy) leave the copy in place.
     */
    @Test
    void jvmsExtractingAtOnceAllLoadOneCopy() throws Exception {
        Path data = data();
        Path into = dir.resolve("crowd");
        List<String> options = Arrays.asList("-Dmmap4j.tmpdir=" + into);
        ExecutorService starting = Executors.newFixedThreadPool(6);
        try {
            List<Future<ChildProcess.Result>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(starting.submit(() -> child(options, "load", data.toString())));
            }
            for (Future<ChildProcess.Result> result : results) {
                ChildProcess.Result r = result.get();
                assertTrue(r.out.contains("map: ok: mapped, first byte 42"), r.toString());
            }
        } finally {
            starting.shutdownNow();
        }
        for (int i = 0; i < 2; i++) {
            ChildProcess.Result r = child(options, "load", data.toString());
            assertTrue(r.out.contains("map: ok: mapped, first byte 42"), r.toString());
        }
        Set<String> left = names(into);
        left.remove(".lock");
        left.removeIf(name -> name.endsWith(".verified"));
        assertEquals(1, left.size(), "one copy, no temporary file left: " + names(into));
    }

    /**
     * A copy that a JVM hashed and recorded, and that was marked used within the hour, is loaded
     * without the directory's lock (nothing is written or tidied): a JVM loads it while another
     * holds the lock exclusively (a cleaner), where taking the lock shared would wait.
     */
    @Test
    void aRecordedCopyMarkedWithinTheHourLoadsWithoutTheLock() throws Exception {
        Path data = data();
        Path into = dir.resolve("extracted");
        List<String> options = Arrays.asList("-Dmmap4j.tmpdir=" + into);
        recordedCopy(options, data, into);
        loadsWhileACleanerHoldsTheLock(into, data);
    }

    /**
     * A JVM loading into {@code into} while this one holds the directory's lock exclusively, as a
     * cleaner does: it must load without waiting for the lock (a minute, then it counts as waiting).
     */
    private void loadsWhileACleanerHoldsTheLock(Path into, Path data) throws Exception {
        try (FileChannel lockFile = FileChannel.open(into.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock cleaning = lockFile.lock()) {
            ChildProcess.Result r = ChildProcess.jvm(LoadingChild.class, "load", data.toString()).in(dir)
                    .options("-Dmmap4j.tmpdir=" + into).timeout(60).run();
            assertEquals(0, r.exit, "it waited for the lock: " + r);
            assertTrue(r.out.contains("map: ok: mapped, first byte 42"), r.toString());
            assertTrue(r.out.contains("loaded from " + into), r.toString());
        }
    }

    /**
     * A record vouches for a copy's bytes, not for who may change them: a copy that others may write
     * is refused even when its record fits (one rewritten to fit after {@code chmod g+w}). The loader
     * matches the record and checks the owner and mode on one {@code lstat} of the copy (issue 27's
     * tenth pass), on the path without the lock and on the locked one.
     */
    @Test
    void aRecordDoesNotMakeACopyOthersMayWriteLoadable() throws Exception {
        Path data = data();
        Path into = dir.resolve("extracted");
        List<String> options = Arrays.asList("-Dmmap4j.tmpdir=" + into);
        Path record = recordedCopy(options, data, into);
        String recordName = record.getFileName().toString();
        Path copy = into.resolve(recordName.substring(0, recordName.length() - ".verified".length()));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-rw-r--"));
        // The record's stamp (fields 3 to 7: device, inode, size, modification and change time in
        // microseconds) rewritten to the copy's after the chmod, as only this user could.
        String[] fields = new String(Files.readAllBytes(record), StandardCharsets.US_ASCII).trim().split(" ");
        assertEquals(8, fields.length, Arrays.toString(fields));
        Map<String, Object> now = Files.readAttributes(copy, "unix:dev,ino,size,lastModifiedTime,ctime",
                LinkOption.NOFOLLOW_LINKS);
        fields[3] = now.get("dev").toString();
        fields[4] = now.get("ino").toString();
        fields[5] = now.get("size").toString();
        fields[6] = Long.toString(micros((FileTime) now.get("lastModifiedTime")));
        fields[7] = Long.toString(micros((FileTime) now.get("ctime")));
        Files.write(record, (String.join(" ", fields) + "\n").getBytes(StandardCharsets.US_ASCII));

        ChildProcess.Result r = child(options, "load", data.toString());
        assertTrue(r.out.contains("map: java.lang.UnsatisfiedLinkError: mmap4j: could not extract "), r.toString());
        assertTrue(r.out.contains(copy + " can be written by others (rw-rw-r--)"), r.toString());
    }

    /**
     * Two child JVMs with {@code options}: the first extracts the library into {@code into}, the
     * second (past the record's margin) hashes the settled copy and records it.
     *
     * @return the copy's record ({@code .verified}).
     */
    private Path recordedCopy(List<String> options, Path data, Path into) throws Exception {
        child(options, "load", data.toString()); // extracts
        Thread.sleep(2_100); // beyond the record's margin, even on a file system of whole seconds
        child(options, "load", data.toString()); // hashes the settled copy and records it
        String recordName = names(into).stream().filter(n -> n.endsWith(".verified")).findFirst()
                .orElseThrow(() -> new AssertionError("no record in " + into));
        return into.resolve(recordName);
    }

    private static long micros(FileTime time) {
        Instant instant = time.toInstant();
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private static Set<String> names(Path directory) throws Exception {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
