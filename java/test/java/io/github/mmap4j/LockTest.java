/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlock/munlock: the effect is read from the kernel ({@code VmLck} in
 * {@code /proc/self/status}); the RLIMIT_MEMLOCK failure runs in a child JVM with
 * the limit lowered and {@code CAP_IPC_LOCK} dropped (root would never fail).
 */
class LockTest {

    @TempDir
    Path dir;

    /** Locked kB of this process, or -1 where /proc has no such line. */
    static long lockedKb() throws Exception {
        Path status = Paths.get("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmLck:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void lockingASmallRangeWorksUnderTheDefaultLimitAndShowsInVmLck() throws Exception {
        long page = Mmap.pageSize();
        ByteBuffer buf = Mmap.anonymous((int) (16 * page), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        long before = lockedKb();
        Mmap.lock(TestBuffers.slice(buf, 1, 4 * page));  // unaligned: rounded out to 5 pages
        long during = lockedKb();
        if (before >= 0) {
            assertEquals(5 * page / 1024, during - before, "VmLck " + before + " -> " + during);
        }
        assertEquals(5, Mmap.residency(buf).resident(), "locked pages are faulted in");
        Mmap.unlock(TestBuffers.slice(buf, 1, 4 * page));
        if (before >= 0) {
            assertEquals(before, lockedKb());
        }
        Mmap.lock(buf);
        Mmap.unlock(buf);
        Mmap.unmap(buf);
    }

    @Test
    void lockedFlagLocksAtMapTime() throws Exception {
        assumeTrue(MapFlag.LOCKED.isSupported(), "MAP_LOCKED is Linux only");
        long page = Mmap.pageSize();
        long before = lockedKb();
        ByteBuffer buf = Mmap.anonymous((int) (8 * page),
                MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE).flags(MapFlag.LOCKED));
        if (before >= 0) {
            assertEquals(8 * page / 1024, lockedKb() - before);
        }
        Mmap.unmap(buf);
    }

    private static List<String> limitedWrapper() {
        List<String> wrapper = Arrays.asList("prlimit", "--memlock=65536:65536", "setpriv",
                "--bounding-set=-ipc_lock", "--inh-caps=-ipc_lock");
        for (String tool : new String[] {"/usr/bin/prlimit", "/usr/bin/setpriv"}) {
            if (!new File(tool).canExecute()) {
                return null;
            }
        }
        return wrapper;
    }

    @Test
    void aLockBeyondRlimitMemlockFailsWithTheUlimitHint() throws Exception {
        List<String> wrapper = limitedWrapper();
        assumeTrue(wrapper != null, "needs prlimit and setpriv (util-linux)");
        ChildProcess.Result r = ChildProcess.jvm(LimitedLocker.class).under(wrapper).in(dir).timeout(60).run();
        System.out.println(r.out);
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("small lock: ok"), r.toString());
        assertTrue(r.out.contains("big lock: ENOMEM") || r.out.contains("big lock: EPERM")
                || r.out.contains("big lock: EAGAIN"), r.toString());
        assertTrue(r.out.contains("ulimit -l"), r.toString());
    }

    /** Runs with RLIMIT_MEMLOCK 64 KiB and no CAP_IPC_LOCK. */
    static final class LimitedLocker {
        public static void main(String[] args) throws Exception {
            long page = Mmap.pageSize();
            ByteBuffer small = Mmap.anonymous((int) page, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
            Mmap.lock(small);
            System.out.println("small lock: ok");
            ByteBuffer big = Mmap.anonymous(4 << 20, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
            try {
                Mmap.lock(big);
                System.out.println("big lock: succeeded (the limit did not apply)");
                System.exit(2);
            } catch (MmapException e) {
                System.out.println("big lock: " + e.errnoName() + "\n" + e.getMessage() + "\nhint: " + e.hint());
            }
            Mmap.unlock(small);
        }
    }
}
