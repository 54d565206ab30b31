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

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * What cannot be mapped is refused at once, with the call, an errno name, the
 * file's type and a hint: FIFOs (whose plain {@code open} waits for a writer
 * forever), sockets, character devices, directories, dangling links and link
 * loops, by path, by borrowed descriptor and by shared memory name. Each test is
 * bounded: a hang fails it instead of the whole run.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpecialFilesTest {

    @TempDir
    Path dir;

    private final List<Path> fifos = new ArrayList<>();

    @AfterEach
    void releaseStuckOpens() {
        for (Path fifo : fifos) {
            OddFiles.unblock(fifo); // lets a thread that did block (the bug) finish
        }
    }

    private Path fifo(String name) throws Exception {
        Path fifo = OddFiles.fifo(dir.resolve(name));
        fifos.add(fifo);
        return fifo;
    }

    private static MmapException refused(String call, String errno, String text, Executable what) {
        MmapException e = assertThrows(MmapException.class, what);
        assertEquals(call, e.call(), e.getMessage());
        assertEquals(errno, e.errnoName(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertFalse(e.hint().isEmpty(), "a hint: " + e.getMessage());
        return e;
    }

    private static void notRegular(String call, String errno, String type, Path path) {
        String text = "not a regular file: " + type;
        MmapException e = refused(call, errno, text, () -> Mmap.map(path, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertTrue(e.getMessage().contains("path=" + path), e.getMessage());
        refused(call, errno, text, () -> Mmap.map(path, MapMode.READ_ONLY));
        refused(call, errno, text, () -> Mmap.mapRegion(path, 0, 1, MapOptions.of(MapMode.READ_ONLY)));
        refused(call, errno, text, () -> Mmap.mapRegion(path, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        refused(call, errno, text, () -> PageCache.evict(path));
        refused(call, errno, text, () -> PageCache.stats(path, 0, Long.MAX_VALUE));
    }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = fifo("fifo");
        notRegular("open", "ENODEV", "FIFO", fifo);
        // Read-write and create-or-grow opens never block on a FIFO, but still may not map it.
        refused("open", "ENODEV", "not a regular file: FIFO",
                () -> Mmap.map(fifo, 0, 10, MapOptions.of(MapMode.READ_WRITE).createOrGrow()));
        MmapException e = refused("open", "ENODEV", "FIFO", () -> Mmap.map(fifo, 0, 10, MapOptions.of(MapMode.READ_WRITE)));
        assertTrue(e.hint().contains("regular files"), e.hint());
    }

    @Test
    void aFifoBehindADescriptorIsRefusedToo() throws Exception {
        Path fifo = fifo("fifo-rw");
        // "rw" opens a FIFO O_RDWR, which Linux allows without a peer.
        try (RandomAccessFile raf = new RandomAccessFile(fifo.toFile(), "rw")) {
            refused("mmap", "ENODEV", "not a regular file: FIFO", () -> Mmap.map(raf.getChannel(), 0, 10, MapOptions.of(MapMode.READ_ONLY)));
            refused("mmap", "ENODEV", "not a regular file: FIFO",
                    () -> Mmap.map(raf.getChannel(), 0, 10, MapOptions.of(MapMode.READ_ONLY)));
            refused("mmap", "ENODEV", "not a regular file: FIFO",
                    () -> Mmap.map(raf.getFD(), 0, 10, MapOptions.of(MapMode.READ_ONLY)));
            refused("mmap", "ENODEV", "not a regular file: FIFO",
                    () -> Mmap.mapRegion(raf.getFD(), 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        }
    }

    @Test
    void aSocketIsRefusedWithAHintThatSaysSocket() throws Exception {
        Path socket = OddFiles.socket(dir.resolve("socket"));
        MmapException e = refused("open", "ENXIO", "path=" + socket,
                () -> Mmap.map(socket, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertTrue(e.hint().contains("socket"), e.hint());
        assertEquals("ENXIO", assertThrows(MmapException.class, () -> PageCache.evict(socket)).errnoName());
        assertEquals("ENXIO", assertThrows(MmapException.class, () -> PageCache.stats(socket, 0, Long.MAX_VALUE)).errnoName());
    }

    @Test
    void characterDevicesAreRefused() throws Exception {
        assumeTrue(Files.exists(Paths.get("/dev/null")) && Files.exists(Paths.get("/dev/zero")), "no /dev");
        notRegular("open", "ENODEV", "character device", Paths.get("/dev/null"));
        notRegular("open", "ENODEV", "character device", Paths.get("/dev/zero"));
        MmapException e = refused("open", "ENODEV", "character device",
                () -> Mmap.map(Paths.get("/dev/zero"), 0, 4096, MapOptions.of(MapMode.PRIVATE)));
        assertTrue(e.hint().contains("Mmap.anonymous"), e.hint());
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        notRegular("open", "EISDIR", "directory", dir);
        // Opening a directory read-write fails in open(2) itself.
        refused("open", "EISDIR", "path=" + dir, () -> Mmap.map(dir, 0, 10, MapOptions.of(MapMode.READ_WRITE)));
    }

    @Test
    void danglingLinksAndLinkLoopsAreRefused() throws Exception {
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        refused("open", "ENOENT", "path=" + dangling, () -> Mmap.map(dangling, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        refused("open", "ENOENT", "path=" + dangling, () -> PageCache.evict(dangling));
        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, loop);
        MmapException e = refused("open", "ELOOP", "path=" + loop, () -> Mmap.map(loop, 0, 10, MapOptions.of(MapMode.READ_ONLY)));
        assertTrue(e.hint().contains("link"), e.hint());
        refused("open", "ELOOP", "path=" + loop, () -> PageCache.evict(loop));
    }

    @Test
    void aFifoUnderASharedMemoryNameIsRefused() throws Exception {
        Path shm = Paths.get("/dev/shm");
        assumeTrue(Files.isDirectory(shm), "no /dev/shm (not Linux)");
        String name = "/mmap4j-test-fifo-" + System.nanoTime();
        Path fifo = OddFiles.fifo(shm.resolve(name.substring(1)));
        fifos.add(fifo);
        try {
            refused("shm_open", "ENODEV", "not a regular file: FIFO", () -> SharedMemory.open(name, MapMode.READ_ONLY));
        } finally {
            releaseStuckOpens();
            Files.delete(fifo);
            fifos.remove(fifo);
        }
    }

    @Test
    void regularFilesAndSharedMemoryStillMap() throws Exception {
        Path file = dir.resolve("regular.bin");
        Files.write(file, new byte[] {42});
        ByteBuffer b = Mmap.map(file, 0, 1, MapOptions.of(MapMode.READ_ONLY));
        assertEquals(42, b.get(0));
        Mmap.unmap(b);
        PageCache.evict(file);
        String name = "/mmap4j-test-regular-" + System.nanoTime();
        ByteBuffer shm = SharedMemory.create(name, 4096);
        try {
            shm.put(0, (byte) 7);
            ByteBuffer again = SharedMemory.open(name, MapMode.READ_ONLY);
            assertEquals(7, again.get(0));
            Mmap.unmap(again);
        } finally {
            Mmap.unmap(shm);
            SharedMemory.unlink(name);
        }
    }

    /**
     * A name that is not valid in the file name encoding (a byte 0xFF under
     * UTF-8) reads back from a directory as a path whose string shows U+FFFD.
     * Encoding that string back names another file, one an attacker can create
     * beside it: mmap4j maps the bytes the directory listed.
     */
    @Test
    void aNameThatIsNotValidUtf8MapsThatFileNotItsLookalike() throws Exception {
        assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")), "file names not UTF-8 here");
        Process p = new ProcessBuilder("sh", "-c", "printf R > \"$1/$(printf 'a\\377')\"", "sh", dir.toString())
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        Files.write(dir.resolve("a\uFFFD"), new byte[] {'D'}); // the lookalike: a\357\277\275
        List<Byte> seen = new ArrayList<>();
        try (java.util.stream.Stream<Path> listed = Files.list(dir)) {
            for (Path path : (Iterable<Path>) listed::iterator) {
                assertEquals("a\uFFFD", path.getFileName().toString());
                ByteBuffer b = Mmap.map(path, 0, 1, MapOptions.of(MapMode.READ_ONLY));
                seen.add(b.get(0));
                Mmap.unmap(b);
            }
        }
        seen.sort(null);
        assertEquals(java.util.Arrays.asList((byte) 'D', (byte) 'R'), seen, "each listed path maps its own file");
    }
}
