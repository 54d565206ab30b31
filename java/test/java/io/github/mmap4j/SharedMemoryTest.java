/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POSIX shared memory: real objects, a real second JVM. */
class SharedMemoryTest {

    @TempDir
    Path dir;

    private final List<String> names = new ArrayList<>();

    private String name(String what) {
        String n = "/mmap4j-test-" + what + "-" + ProcessHandleless.pid() + "-" + System.nanoTime() % 100000;
        names.add(n);
        return n;
    }

    @AfterEach
    void unlinkLeftovers() throws Exception {
        for (String n : names) {
            if (SharedMemory.exists(n)) {
                SharedMemory.unlink(n);
            }
        }
    }

    @Test
    void createWritesOpenReadsUnlinkRemoves() throws Exception {
        String n = name("basic");
        long page = Mmap.pageSize();
        ByteBuffer a = SharedMemory.create(n, 3 * page);
        assertEquals(3 * page, a.capacity());
        assertEquals(0, a.getLong((int) page), "a new object is zero-filled");
        a.putLong(0, 0x1122334455667788L).put((int) (3 * page - 1), (byte) 7);
        assertTrue(SharedMemory.exists(n));

        ByteBuffer b = SharedMemory.open(n, MapMode.READ_WRITE);
        assertEquals(3 * page, b.capacity(), "open maps the whole object; its size comes from the descriptor");
        assertEquals(0x1122334455667788L, b.getLong(0));
        assertEquals(7, b.get((int) (3 * page - 1)));
        b.put(1000, (byte) 42);
        assertEquals(42, a.get(1000), "two mappings of one object share the bytes");

        ByteBuffer ro = SharedMemory.open(n, MapMode.READ_ONLY);
        assertTrue(ro.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> ro.put(0, (byte) 1));

        ByteBuffer cow = SharedMemory.open(n, MapMode.PRIVATE);
        cow.put(1000, (byte) 99);
        assertEquals(42, a.get(1000), "a PRIVATE mapping's writes stay private");

        SharedMemory.unlink(n);
        assertFalse(SharedMemory.exists(n));
        a.put(2000, (byte) 5);
        assertEquals(5, b.get(2000), "mappings outlive the name");
        MmapException e = assertThrows(MmapException.class, () -> SharedMemory.open(n, MapMode.READ_WRITE));
        assertEquals("ENOENT", e.errnoName());
        assertEquals("shm_open", e.call());
        assertTrue(e.hint().contains("SharedMemory.create"), e.getMessage());
        MmapException again = assertThrows(MmapException.class, () -> SharedMemory.unlink(n));
        assertEquals("ENOENT", again.errnoName());
        for (ByteBuffer buf : new ByteBuffer[] {a, b, ro, cow}) {
            Mmap.unmap(buf);
        }
    }

    @Test
    void createIsExclusiveAndUses0600() throws Exception {
        String n = name("excl");
        ByteBuffer a = SharedMemory.create(n, Mmap.pageSize());
        MmapException e = assertThrows(MmapException.class, () -> SharedMemory.create(n, Mmap.pageSize()));
        assertEquals("EEXIST", e.errnoName());
        assertTrue(e.hint().contains("SharedMemory.open"), e.getMessage());
        assertTrue(SharedMemory.exists(n), "a failed exclusive create leaves the existing object alone");
        Path devShm = Paths.get("/dev/shm", n.substring(1));
        if (Files.exists(devShm)) { // Linux keeps objects there
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(devShm)));
            assertEquals(Mmap.pageSize(), Files.size(devShm));
        }
        Mmap.unmap(a);

        String m = name("mode");
        ByteBuffer b = SharedMemory.map(m, 0, (int) Mmap.pageSize(),
                MapOptions.of(MapMode.READ_WRITE).createOrGrow().permissions(0640));
        Path devShm2 = Paths.get("/dev/shm", m.substring(1));
        if (Files.exists(devShm2)) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(devShm2)));
        }
        Mmap.unmap(b);
    }

    @Test
    void openOrCreateIsMapShm() throws Exception {
        String n = name("mapshm");
        long page = Mmap.pageSize();
        ByteBuffer a = SharedMemory.map(n, 0, (int) (page), MapOptions.of(MapMode.READ_WRITE).createOrGrow());          // creates
        a.put(10, (byte) 10);
        ByteBuffer b = SharedMemory.map(n, 0, (int) (2 * page), MapOptions.of(MapMode.READ_WRITE).createOrGrow());      // attaches and grows
        assertEquals(10, b.get(10));
        b.put((int) (2 * page - 1), (byte) 20);
        ByteBuffer c = SharedMemory.open(n, MapMode.READ_ONLY);
        assertEquals(2 * page, c.capacity());
        ByteBuffer d = SharedMemory.map(n, 0, (int) (page), MapOptions.of(MapMode.READ_WRITE).createOrGrow());          // never shrinks
        assertEquals(page, d.capacity());
        assertEquals(20, SharedMemory.open(n, MapMode.READ_ONLY).get((int) (2 * page - 1)));
        // the offset form, unaligned, with advice at map time
        ByteBuffer e = SharedMemory.map(n, page + 3, 100,
                MapOptions.of(MapMode.READ_ONLY).advice(Advice.WILLNEED));
        assertEquals(b.get((int) page + 3), e.get(0));
        MmapException past = assertThrows(MmapException.class,
                () -> SharedMemory.map(n, 2 * page, 1, MapOptions.of(MapMode.READ_ONLY)));
        assertEquals("ENXIO", past.errnoName());
        for (ByteBuffer buf : new ByteBuffer[] {a, b, c, d, e}) {
            Mmap.unmap(buf);
        }
    }

    @Test
    void aSecondJvmSeesTheWrites() throws Exception {
        String n = name("twojvm");
        ByteBuffer mine = SharedMemory.create(n, Mmap.pageSize());
        byte[] hello = "hello from the first JVM".getBytes(StandardCharsets.US_ASCII);
        mine.putInt(0, hello.length);
        for (int i = 0; i < hello.length; i++) {
            mine.put(4 + i, hello[i]);
        }
        ChildProcess.Result r = ChildProcess.jvm(Peer.class, n).in(dir).timeout(30).run();
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("read: hello from the first JVM"), r.toString());
        assertEquals(0x0BADCAFE, mine.getInt(100), "and the child's write reached this JVM: " + r);
        Mmap.unmap(mine);
        SharedMemory.unlink(n);
        ChildProcess.Result gone = ChildProcess.jvm(Peer.class, n).in(dir).timeout(30).run();
        assertEquals(3, gone.exit, gone.toString());
        assertTrue(gone.out.contains("ENOENT"), gone.toString());
    }

    /** The second process: opens the name, prints what it finds, writes back. */
    static final class Peer {
        public static void main(String[] args) throws Exception {
            ByteBuffer buf;
            try {
                buf = SharedMemory.open(args[0], MapMode.READ_WRITE);
            } catch (MmapException e) {
                System.out.println("open failed: " + e.errnoName() + ": " + e.getMessage());
                System.exit(3);
                return;
            }
            byte[] text = new byte[buf.getInt(0)];
            for (int i = 0; i < text.length; i++) {
                text[i] = buf.get(4 + i);
            }
            System.out.println("read: " + new String(text, StandardCharsets.US_ASCII));
            buf.putInt(100, 0x0BADCAFE);
            Mmap.unmap(buf);
        }
    }

    @Test
    void badNamesAndSizesAreRefusedBeforeAnySystemCall() {
        String[] bad = {"", "/", "noslash", "/a/b", "/nul\0x"};
        for (String b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.create(b, 4096), b);
            assertTrue(e.getMessage().startsWith("create: shared memory name"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> SharedMemory.open(null, MapMode.READ_ONLY));
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create("/mmap4j-big", Integer.MAX_VALUE + 1L));
        assertTrue(tooBig.getMessage().contains("more than a ByteBuffer holds"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("/mmap4j-zero", 0));
        assertFalse(assertDoesNotExist("/mmap4j-big"));
    }

    private static boolean assertDoesNotExist(String n) {
        try {
            return SharedMemory.exists(n);
        } catch (MmapException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theNameLimitComesFromThePlatform() throws Exception {
        int max = SharedMemory.maxNameLength();
        assumeTrue(max < 1000, "no practical limit");
        StringBuilder sb = new StringBuilder("/");
        while (sb.length() < max) {
            sb.append('n');
        }
        String longest = sb.toString();
        names.add(longest);
        ByteBuffer ok = SharedMemory.create(longest, Mmap.pageSize()); // the kernel takes the longest name
        Mmap.unmap(ok);
        SharedMemory.unlink(longest);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create(longest + "n", Mmap.pageSize()));
        assertTrue(e.getMessage().contains("ENAMETOOLONG") && e.getMessage().contains(String.valueOf(max)),
                e.getMessage());
    }

    /**
     * Lone surrogates have no encoding: encoded with replacement, "/h2\ud800" and
     * "/h2\udc00" both became "/h2?", one object under two names. Refused instead,
     * by every call that takes a name, before any system call.
     */
    @Test
    void namesThatDoNotEncodeLosslesslyAreRefused() throws Exception {
        names.add("/h2?");
        for (String bad : new String[] {"/h2\ud800", "/h2\udc00", "/x\udc00\ud800y"}) {
            List<Executable> calls = new ArrayList<>();
            calls.add(() -> SharedMemory.create(bad, Mmap.pageSize()));
            calls.add(() -> SharedMemory.map(bad, 0, (int) (Mmap.pageSize()), MapOptions.of(MapMode.READ_WRITE).createOrGrow()));
            calls.add(() -> SharedMemory.open(bad, MapMode.READ_ONLY));
            calls.add(() -> SharedMemory.map(bad, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
            calls.add(() -> SharedMemory.exists(bad));
            calls.add(() -> SharedMemory.unlink(bad));
            for (Executable call : calls) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
                assertTrue(e.getMessage().contains("shared memory name \"" + bad.replace("\ud800", "\\ud800")
                        .replace("\udc00", "\\udc00") + "\" does not encode losslessly"), e.getMessage());
                assertTrue(e.getMessage().contains("unpaired surrogate U+"), e.getMessage());
            }
        }
        assertFalse(SharedMemory.exists("/h2?"), "nothing was created under the replacement name");
        // A proper pair is one character, and fine.
        String pair = name("pair\ud83d\ude00");
        Mmap.unmap(SharedMemory.create(pair, Mmap.pageSize()));
        assertTrue(SharedMemory.exists(pair));
    }

    @Test
    void openOfAnEmptyObjectSaysSo() throws Exception {
        String n = name("empty");
        // A creator that has not sized it yet: shm_open without ftruncate, through the shim.
        long fd = NativeForTests.createSharedUnsized(n, 0600);
        assertTrue(fd >= 0);
        NativeForTests.close((int) fd);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.open(n, MapMode.READ_ONLY));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    /** Java 8 has no ProcessHandle: the pid from /proc/self. */
    static final class ProcessHandleless {
        static String pid() {
            try {
                return Paths.get("/proc/self").toRealPath().getFileName().toString();
            } catch (Exception e) {
                return "x";
            }
        }
    }
}
