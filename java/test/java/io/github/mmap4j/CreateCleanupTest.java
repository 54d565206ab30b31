/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed {@code createOrGrow} removes what it created, and only that (issue 25, item 7): a child
 * JVM runs under a file-size limit ({@code prlimit --fsize}, what {@code ulimit -f} sets; HotSpot
 * ignores {@code SIGXFSZ}, so {@code ftruncate} fails with {@code EFBIG}) and maps past it.
 */
class CreateCleanupTest {

    @TempDir
    Path dir;

    private static final long LIMIT = 16L << 20;
    private static final int TOO_BIG = 64 << 20;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aFailedCreateOrGrowRemovesWhatItCreatedAndNothingElse() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && new File("/usr/bin/prlimit").canExecute(),
                "needs Linux prlimit(1) (util-linux)");
        ChildProcess.Result r = ChildProcess.jvm(Child.class, dir.toString())
                .under(Arrays.asList("/usr/bin/prlimit", "--fsize=" + LIMIT)).in(dir).timeout(110).run();
        System.out.println("[createOrGrow under prlimit --fsize]\n" + r.out.trim());
        r.assertEndedNormally();
        assertTrue(r.out.contains("path: EFBIG, hint names ulimit -f: true"), r.toString());
        assertTrue(r.out.contains("path: created file left behind: false"), r.toString());
        assertTrue(r.out.contains("region: created file left behind: false"), r.toString());
        assertTrue(r.out.contains("existing: EFBIG, file kept: true"), r.toString());
        assertTrue(r.out.contains("shm: EFBIG, created object left behind: false"), r.toString());
        assertTrue(r.out.contains("existing shm: EFBIG, object kept: true"), r.toString());
    }

    /** The child: each case prints one line the test looks for. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Paths.get(args[0]);
            MapOptions grow = MapOptions.of(MapMode.READ_WRITE).createOrGrow();
            Path created = dir.resolve("created.bin");
            try {
                Mmap.map(created, 0, TOO_BIG, grow);
                System.out.println("path: mapped?");
            } catch (MmapException e) {
                System.out.println("path: " + e.errnoName() + ", hint names ulimit -f: "
                        + e.getMessage().contains("ulimit -f"));
                System.out.println(e.getMessage());
            }
            System.out.println("path: created file left behind: " + Files.exists(created));
            try {
                Mmap.mapRegion(created, 0, TOO_BIG, grow);
                System.out.println("region: mapped?");
            } catch (MmapException e) {
                System.out.println("region: " + e.errnoName());
            }
            System.out.println("region: created file left behind: " + Files.exists(created));
            Path existing = Files.createFile(dir.resolve("existing.bin"));
            try {
                Mmap.map(existing, 0, TOO_BIG, grow);
                System.out.println("existing: mapped?");
            } catch (MmapException e) {
                System.out.println("existing: " + e.errnoName() + ", file kept: " + Files.exists(existing));
            }
            String name = "/mmap4j-cleanup-" + Files.readSymbolicLink(Paths.get("/proc/self"));
            try {
                SharedMemory.map(name, 0, TOO_BIG, grow);
                System.out.println("shm: mapped?");
            } catch (MmapException e) {
                System.out.println("shm: " + e.errnoName() + ", created object left behind: "
                        + SharedMemory.exists(name));
            }
            try {
                SharedMemory.map(name, 0, 4096, grow);
                SharedMemory.map(name, 0, TOO_BIG, grow);
                System.out.println("existing shm: mapped?");
            } catch (MmapException e) {
                System.out.println("existing shm: " + e.errnoName() + ", object kept: " + SharedMemory.exists(name));
            } finally {
                if (SharedMemory.exists(name)) {
                    SharedMemory.unlink(name);
                }
            }
        }
    }
}
