/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hints that once sent the user the wrong way: each failure here names what is really wrong.
 */
class HintTest {

    @TempDir
    Path dir;

    /**
     * {@code /.} and {@code /..} name the shared memory directory itself (or its parent):
     * {@code exists} said yes, {@code create} said EEXIST "open it", {@code open} said EISDIR.
     * They are refused as names, by every call alike, before any system call.
     */
    @Test
    void dotNamesAreNotSharedMemoryNames() {
        for (String name : new String[] {"/.", "/.."}) {
            IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.exists(name), name);
            assertTrue(exists.getMessage().startsWith("exists: shared memory name \"" + name + "\""),
                    exists.getMessage());
            assertTrue(exists.getMessage().contains("'.' and '..'"), exists.getMessage());
            IllegalArgumentException create = assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.create(name, 4096), name);
            assertTrue(create.getMessage().startsWith("create: shared memory name"), create.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(name, MapMode.READ_ONLY));
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.unlink(name));
        }
    }

    /** With createOrGrow set, ENOENT means a missing directory on the way: suggesting createOrGrow misleads. */
    @Test
    void missingParentDirectoryWithCreateOrGrowSaysSo() {
        Path file = dir.resolve("no-such-dir").resolve("data.bin");
        MmapException e = assertThrows(MmapException.class,
                () -> Mmap.map(file, 0, 4096, MapOptions.of(MapMode.READ_WRITE).createOrGrow()));
        assertEquals("ENOENT", e.errnoName());
        assertFalse(e.hint().contains("createOrGrow"), e.hint());
        assertTrue(e.hint().contains("parent directory"), e.hint());
        // Without createOrGrow, createOrGrow is still the way out.
        MmapException plain = assertThrows(MmapException.class,
                () -> Mmap.map(dir.resolve("missing.bin"), 0, 4096, MapOptions.of(MapMode.READ_WRITE)));
        assertTrue(plain.hint().contains("createOrGrow"), plain.hint());
    }

    /** DONTNEED on mlocked pages is EINVAL: the hint says they are locked, not that the kernel is old. */
    @Test
    void dontneedOnLockedPagesSaysUnlockFirst() throws Exception {
        ByteBuffer buf = Mmap.anonymous((int) (4 * Mmap.pageSize()), MapOptions.of(MapMode.READ_WRITE));
        try {
            try {
                Mmap.lock(buf);
            } catch (MmapException e) {
                Assumptions.abort("cannot mlock 4 pages here (RLIMIT_MEMLOCK): " + e.getMessage());
            }
            MmapException e = assertThrows(MmapException.class, () -> Mmap.advise(buf, Advice.DONTNEED));
            assertEquals("EINVAL", e.errnoName(), e.getMessage());
            assertTrue(e.hint().contains("locked") && e.hint().contains("Mmap.unlock"), e.hint());
            assertFalse(e.hint().contains("too old"), e.hint());
            Mmap.unlock(buf);
            Mmap.advise(buf, Advice.DONTNEED); // and then it works
        } finally {
            Mmap.unmap(buf);
        }
    }

    /** DONTNEED on a 4 KiB slice of a HUGETLB mapping is EINVAL: the range must be whole huge pages. */
    @Test
    void dontneedOnPartOfAHugePageSaysWholeHugePages() throws Exception {
        Assumptions.assumeTrue(MapFlag.HUGETLB.isSupported(), "no MAP_HUGETLB here");
        Assumptions.assumeTrue(freeHugePages() >= 1,
                "no huge pages reserved (vm.nr_hugepages; .ci/run reserves some when it may)");
        ByteBuffer huge = Mmap.anonymous(2 << 20, MapOptions.of(MapMode.READ_WRITE).flags(MapFlag.HUGETLB));
        try {
            huge.put(0, (byte) 1);
            ByteBuffer slice = TestBuffers.slice(huge, 4096, 4096);
            MmapException e = assertThrows(MmapException.class, () -> Mmap.advise(slice, Advice.DONTNEED));
            assertEquals("EINVAL", e.errnoName(), e.getMessage());
            assertTrue(e.hint().contains("whole huge pages"), e.hint());
            assertFalse(e.hint().contains("too old"), e.hint());
        } finally {
            Mmap.unmap(huge);
        }
    }

    private static long freeHugePages() throws java.io.IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
            if (line.startsWith("HugePages_Free:")) {
                return Long.parseLong(line.substring("HugePages_Free:".length()).trim());
            }
        }
        return 0;
    }
}
