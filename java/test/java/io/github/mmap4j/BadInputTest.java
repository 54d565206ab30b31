/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every public method fed bad input: the documented exception type, a message
 * naming the call, and the errno where a system call refused. Runs in the test
 * JVM: none of these may crash it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    /** Code under test. */
    interface Call {
        void run() throws Exception;
    }

    private static final class Case {
        final String name;
        final Class<? extends Throwable> expected; // null: must not throw
        final String errno;                        // null: no system call involved
        final Call call;

        Case(String name, Class<? extends Throwable> expected, String errno, Call call) {
            this.name = name;
            this.expected = expected;
            this.errno = errno;
            this.call = call;
        }
    }

    private Path dir;

    private int page;
    private Path onePage;
    private Path empty;
    private Path missing;
    private ByteBuffer open;
    private ByteBuffer closed;
    private ByteBuffer readOnly;
    private ByteBuffer heap;
    private ByteBuffer direct;
    private ByteBuffer jdkMapped;
    private FileChannel jdkChannel;
    private FileChannel readOnlyChannel;
    private FileChannel closedChannel;
    private RandomAccessFile readOnlyFile;
    private RandomAccessFile closedFile;
    private FileDescriptor closedDescriptor;
    private MappedRegion region;
    private MappedRegion closedRegion;

    @BeforeAll
    void setUp() throws Exception {
        page = (int) Mmap.pageSize();
        dir = Files.createTempDirectory("mmap4j-bad-input");
        onePage = dir.resolve("one-page.bin");
        Files.write(onePage, new byte[page]);
        empty = Files.createFile(dir.resolve("empty.bin"));
        missing = dir.resolve("missing.bin");
        open = Mmap.map(onePage, 0, page, MapOptions.of(MapMode.READ_WRITE));
        closed = Mmap.map(onePage, 0, page, MapOptions.of(MapMode.READ_WRITE));
        Mmap.unmap(closed);
        readOnly = Mmap.map(onePage, MapMode.READ_ONLY);
        heap = ByteBuffer.allocate(page);
        direct = ByteBuffer.allocateDirect(page * 3);
        jdkChannel = FileChannel.open(onePage, StandardOpenOption.READ);
        jdkMapped = jdkChannel.map(FileChannel.MapMode.READ_ONLY, 0, page);
        readOnlyChannel = FileChannel.open(onePage, StandardOpenOption.READ);
        closedChannel = FileChannel.open(onePage, StandardOpenOption.READ);
        closedChannel.close();
        readOnlyFile = new RandomAccessFile(onePage.toFile(), "r");
        closedFile = new RandomAccessFile(onePage.toFile(), "r");
        closedFile.close();
        FileInputStream in = new FileInputStream(onePage.toFile());
        closedDescriptor = in.getFD();
        in.close();
        region = Mmap.mapRegion(onePage, 0, Files.size(onePage), MapOptions.of(MapMode.READ_WRITE));
        closedRegion = Mmap.mapRegion(onePage, 0, Files.size(onePage), MapOptions.of(MapMode.READ_WRITE));
        closedRegion.close();
    }

    @AfterAll
    void tearDown() throws Exception {
        Mmap.unmap(open);
        Mmap.unmap(readOnly);
        region.close();
        jdkChannel.close();
        readOnlyChannel.close();
        readOnlyFile.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** An empty map: capacity 0, nothing mapped, and unmap accepts it. */
    private static void assertEmpty(ByteBuffer empty) throws Exception {
        assertEquals(0, empty.capacity());
        Mmap.unmap(empty);
        Mmap.unmap(empty);
    }

    /** An empty region: size 0, open until closed. */
    private static void assertEmpty(MappedRegion empty) throws Exception {
        assertEquals(0, empty.size());
        assertEquals(0, empty.view(0, 0).capacity());
        empty.close();
        assertFalse(empty.isOpen());
    }

    private List<Case> cases() {
        MapOptions rw = MapOptions.of(MapMode.READ_WRITE);
        MapOptions ro = MapOptions.of(MapMode.READ_ONLY);
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        Class<NullPointerException> npe = NullPointerException.class;
        Class<IllegalStateException> ise = IllegalStateException.class;
        Class<UnsupportedOperationException> uoe = UnsupportedOperationException.class;
        Class<MmapException> sys = MmapException.class;
        Class<ClosedChannelException> cce = ClosedChannelException.class;
        List<Case> c = new ArrayList<>();
        // ---- map by path
        c.add(new Case("map: negative offset", iae, null, () -> Mmap.map(onePage, -1, 10, MapOptions.of(MapMode.READ_WRITE))));
        c.add(new Case("map: zero length is an empty buffer, as FileChannel.map gives", null, null,
                () -> assertEmpty(Mmap.map(onePage, 0, 0, MapOptions.of(MapMode.READ_WRITE)))));
        c.add(new Case("map: negative length", iae, null, () -> Mmap.map(onePage, 0, -5, MapOptions.of(MapMode.READ_WRITE))));
        c.add(new Case("map: offset + length overflows", iae, null,
                () -> Mmap.map(onePage, Long.MAX_VALUE - 10, 100, MapOptions.of(MapMode.READ_WRITE))));
        c.add(new Case("map: length past end of file", sys, "ENXIO",
                () -> Mmap.map(onePage, 0, 2 * page, MapOptions.of(MapMode.READ_WRITE))));
        c.add(new Case("map: offset past end of file", sys, "ENXIO",
                () -> Mmap.map(onePage, 10L * page, 10, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: missing file", sys, "ENOENT", () -> Mmap.map(missing, MapMode.READ_ONLY)));
        c.add(new Case("map: missing file with offset", sys, "ENOENT",
                () -> Mmap.map(missing, 0, 10, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: directory", sys, "EISDIR", () -> Mmap.map(dir, 0, 10, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: directory, create or grow", sys, "EISDIR",
                () -> Mmap.map(dir, 0, 10, rw.createOrGrow())));
        c.add(new Case("map: empty file, whole, is an empty buffer", null, null,
                () -> assertEmpty(Mmap.map(empty, MapMode.READ_ONLY))));
        c.add(new Case("map: empty file, range", sys, "ENXIO", () -> Mmap.map(empty, 0, 1, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: null path", npe, null, () -> Mmap.map((Path) null, MapMode.READ_ONLY)));
        c.add(new Case("map: null mode", npe, null, () -> Mmap.map(onePage, (MapMode) null)));
        c.add(new Case("map: null options", npe, null, () -> Mmap.map(onePage, 0, 10, null)));
        c.add(new Case("map: unsupported flag NOCACHE (macOS only)", uoe, null,
                () -> Mmap.map(onePage, 0, 10, ro.flags(MapFlag.NOCACHE))));
        c.add(new Case("map: unsupported advice FREE_REUSABLE (macOS only)", uoe, null,
                () -> Mmap.map(onePage, 0, 10, ro.advice(Advice.FREE_REUSABLE))));
        // ---- map open files
        c.add(new Case("map: closed channel", cce, null, () -> Mmap.map(closedChannel, 0, 1, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: read-only channel mapped for shared write", sys, "EACCES",
                () -> Mmap.map(readOnlyChannel, 0, 10, MapOptions.of(MapMode.READ_WRITE))));
        c.add(new Case("map: channel, negative offset", iae, null,
                () -> Mmap.map(readOnlyChannel, -1, 10, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: channel, past end of file", sys, "ENXIO",
                () -> Mmap.map(readOnlyChannel, 0, page + 1, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: null channel", npe, null, () -> Mmap.map((FileChannel) null, 0, 1, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: closed RandomAccessFile", cce, null,
                () -> Mmap.map(closedFile.getChannel(), 0, 1, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: read-only RandomAccessFile mapped for shared write", sys, "EACCES",
                () -> Mmap.map(readOnlyFile.getChannel(), 0, 10, MapOptions.of(MapMode.READ_WRITE))));
        c.add(new Case("map: closed FileDescriptor", cce, null,
                () -> Mmap.map(closedDescriptor, 0, 1, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: never-opened FileDescriptor", cce, null,
                () -> Mmap.map(new FileDescriptor(), 0, 1, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("map: FileDescriptor, zero length is an empty buffer", null, null,
                () -> assertEmpty(Mmap.map(readOnlyFile.getFD(), 0, 0, MapOptions.of(MapMode.READ_ONLY)))));
        c.add(new Case("map: zero length past the end of the file", sys, "ENXIO",
                () -> Mmap.map(onePage, page + 1, 0, MapOptions.of(MapMode.READ_ONLY))));
        // ---- anonymous
        c.add(new Case("anonymous: zero length is an empty buffer", null, null,
                () -> assertEmpty(Mmap.anonymous(0, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE)))));
        c.add(new Case("anonymous: negative length", iae, null, () -> Mmap.anonymous(-1, MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE))));
        c.add(new Case("anonymous: null sharing", npe, null, () -> Mmap.anonymous(page, MapOptions.of(MapMode.READ_WRITE).sharing(null))));
        c.add(new Case("anonymous: unsupported flag JIT (macOS only)", uoe, null,
                () -> Mmap.anonymous(page, rw.flags(MapFlag.JIT))));
        c.add(new Case("anonymous: unsupported advice FREE_REUSE (macOS only)", uoe, null,
                () -> Mmap.anonymous(page, rw.advice(Advice.FREE_REUSE))));
        // ---- unmap
        c.add(new Case("unmap: heap buffer", iae, null, () -> Mmap.unmap(heap)));
        c.add(new Case("unmap: allocateDirect buffer", iae, null, () -> Mmap.unmap(direct)));
        c.add(new Case("unmap: the JDK's MappedByteBuffer", iae, null, () -> Mmap.unmap(jdkMapped)));
        c.add(new Case("unmap: null", npe, null, () -> Mmap.unmap(null)));
        c.add(new Case("unmap: twice is a no-op", null, null, () -> Mmap.unmap(closed)));
        // ---- madvise
        c.add(new Case("advise: heap buffer", iae, null, () -> Mmap.advise(heap, Advice.NORMAL)));
        c.add(new Case("advise: FREE_REUSABLE unsupported", uoe, null, () -> Mmap.advise(open, Advice.FREE_REUSABLE)));
        c.add(new Case("advise: FREE_REUSE unsupported", uoe, null, () -> Mmap.advise(open, Advice.FREE_REUSE)));
        c.add(new Case("advise: null advice", npe, null, () -> Mmap.advise(open, null)));
        c.add(new Case("advise: null buffer", npe, null, () -> Mmap.advise(null, Advice.NORMAL)));
        c.add(new Case("advise: closed", ise, null, () -> Mmap.advise(closed, Advice.NORMAL)));
        // ---- msync
        c.add(new Case("sync: heap buffer", iae, null, () -> Mmap.force(heap)));
        c.add(new Case("sync: null buffer", npe, null, () -> Mmap.force((ByteBuffer) null)));
        c.add(new Case("sync: closed", ise, null, () -> Mmap.force(closed)));
        c.add(new Case("sync: null mode", npe, null, () -> Mmap.force(open, null)));
        c.add(new Case("sync: an empty slice is a no-op", null, null,
                () -> Mmap.force(TestBuffers.slice(open, 1, 0), SyncMode.SYNC)));
        // ---- mincore
        c.add(new Case("residency: heap buffer", iae, null, () -> Mmap.residency(heap)));
        c.add(new Case("residency: closed", ise, null, () -> Mmap.residency(closed)));
        c.add(new Case("residency: null buffer", npe, null, () -> Mmap.residency(null)));
        c.add(new Case("residency: an empty slice has no pages", null, null,
                () -> assertEquals(0, Mmap.residency(TestBuffers.slice(open, 1, 0)).pages())));
        // ---- mlock
        c.add(new Case("lock: heap buffer", iae, null, () -> Mmap.lock(heap)));
        c.add(new Case("lock: closed", ise, null, () -> Mmap.lock(closed)));
        c.add(new Case("unlock: heap buffer", iae, null, () -> Mmap.unlock(heap)));
        c.add(new Case("unlock: closed", ise, null, () -> Mmap.unlock(closed)));
        // ---- mprotect
        c.add(new Case("protect: heap buffer", iae, null, () -> Mmap.protect(heap, Protection.READ)));
        c.add(new Case("protect: unaligned range of a foreign buffer", iae, null,
                () -> Mmap.protect(TestBuffers.slice(direct, 1, 10), Protection.READ)));
        c.add(new Case("protect: null protections", npe, null, () -> Mmap.protect(open, (Protection[]) null)));
        c.add(new Case("protect: closed", ise, null, () -> Mmap.protect(closed, Protection.READ)));
        // ---- address
        c.add(new Case("address: heap buffer", iae, null, () -> Mmap.address(heap)));
        c.add(new Case("address: null", npe, null, () -> Mmap.address(null)));
        // ---- regions
        c.add(new Case("mapRegion: zero length is an empty region", null, null,
                () -> assertEmpty(Mmap.mapRegion(onePage, 0, 0, rw))));
        c.add(new Case("mapRegion: negative offset", iae, null, () -> Mmap.mapRegion(onePage, -1, 10, rw)));
        c.add(new Case("mapRegion: offset + length overflows", iae, null,
                () -> Mmap.mapRegion(onePage, 1, Long.MAX_VALUE, rw)));
        c.add(new Case("mapRegion: past end of file", sys, "ENXIO", () -> Mmap.mapRegion(onePage, 0, 1L << 33, rw)));
        c.add(new Case("mapRegion: missing file", sys, "ENOENT", () -> Mmap.mapRegion(missing, 0, 1, MapOptions.of(MapMode.READ_ONLY))));
        c.add(new Case("mapRegion: zero length of an empty file is an empty region", null, null,
                () -> assertEmpty(Mmap.mapRegion(empty, 0, 0, MapOptions.of(MapMode.READ_ONLY)))));
        c.add(new Case("mapRegion: closed channel", cce, null, () -> Mmap.mapRegion(closedChannel, 0, 1, ro)));
        c.add(new Case("mapRegion: read-only file mapped for shared write", sys, "EACCES",
                () -> Mmap.mapRegion(readOnlyFile.getChannel(), 0, 1, rw)));
        c.add(new Case("mapRegion: closed FileDescriptor", cce, null,
                () -> Mmap.mapRegion(closedDescriptor, 0, 1, ro)));
        c.add(new Case("anonymousRegion: zero length is an empty region", null, null,
                () -> assertEmpty(Mmap.anonymousRegion(0, rw))));
        c.add(new Case("anonymousRegion: negative length", iae, null, () -> Mmap.anonymousRegion(-1, rw)));
        c.add(new Case("anonymousRegion: overflowing length", iae, null,
                () -> Mmap.anonymousRegion(Long.MAX_VALUE, rw)));
        c.add(new Case("anonymousRegion: more than the address space", sys, "ENOMEM",
                () -> Mmap.anonymousRegion(1L << 62, rw.sharing(Sharing.PRIVATE).flags(MapFlag.NORESERVE))));
        c.add(new Case("region.view: negative offset", ioobe, null, () -> region.view(-1, 1)));
        c.add(new Case("region.view: negative length", iae, null, () -> region.view(0, -1)));
        c.add(new Case("region.view: past the end", ioobe, null, () -> region.view(1, page)));
        c.add(new Case("region.force: overflowing range", ioobe, null,
                () -> region.force(1, Long.MAX_VALUE, SyncMode.SYNC)));
        c.add(new Case("region.force: negative offset", ioobe, null, () -> region.force(-1, 1, SyncMode.SYNC)));
        c.add(new Case("region.force: negative length", ioobe, null, () -> region.force(0, -1, SyncMode.SYNC)));
        c.add(new Case("region.advise: negative offset", ioobe, null, () -> region.advise(-1, 10, Advice.NORMAL)));
        c.add(new Case("region.advise: past the end", ioobe, null, () -> region.advise(0, page + 1, Advice.NORMAL)));
        c.add(new Case("region.advise: offset overflows", ioobe, null,
                () -> region.advise(Long.MAX_VALUE, 1, Advice.NORMAL)));
        c.add(new Case("region.residency: negative length", ioobe, null, () -> region.residency(0, -1)));
        c.add(new Case("region.advise: unsupported advice", uoe, null,
                () -> region.advise(0, 1, Advice.FREE_REUSABLE)));
        c.add(new Case("region.view: closed", ise, null, () -> closedRegion.view(0, 1)));
        c.add(new Case("region.force: closed", ise, null, () -> closedRegion.force()));
        c.add(new Case("region.close: twice is a no-op", null, null, () -> closedRegion.close()));
        // ---- SharedMemory
        String tooLong = "/" + new String(new char[SharedMemory.maxNameLength()]).replace('\0', 'x');
        String missingShm = "/mmap4j-bad-input-missing-" + System.nanoTime();
        c.add(new Case("SharedMemory.create: empty name", iae, null, () -> SharedMemory.create("", page)));
        c.add(new Case("SharedMemory.create: no leading '/'", iae, null, () -> SharedMemory.create("x", page)));
        c.add(new Case("SharedMemory.create: a second '/'", iae, null, () -> SharedMemory.create("/a/b", page)));
        c.add(new Case("SharedMemory.create: name too long", iae, null, () -> SharedMemory.create(tooLong, page)));
        c.add(new Case("SharedMemory.create: null name", npe, null, () -> SharedMemory.create(null, page)));
        c.add(new Case("SharedMemory.create: zero size", iae, null, () -> SharedMemory.create("/mmap4j-z", 0)));
        c.add(new Case("SharedMemory.create: size over 2 GiB", iae, null,
                () -> SharedMemory.create("/mmap4j-big", 1L << 32)));
        c.add(new Case("SharedMemory.open: missing object", sys, "ENOENT",
                () -> SharedMemory.open(missingShm, MapMode.READ_ONLY)));
        c.add(new Case("SharedMemory.unlink: missing object", sys, "ENOENT", () -> SharedMemory.unlink(missingShm)));
        c.add(new Case("SharedMemory.open: null mode", npe, null, () -> SharedMemory.open("/mmap4j-x", null)));
        // ---- Atomics
        Class<ReadOnlyBufferException> robe = ReadOnlyBufferException.class;
        c.add(new Case("Atomics: heap buffer", iae, null, () -> Atomics.getIntVolatile(heap, 0)));
        c.add(new Case("Atomics: null buffer", npe, null, () -> Atomics.getAndAddLong(null, 0, 1)));
        c.add(new Case("Atomics: misaligned int", iae, null, () -> Atomics.getAndAddInt(direct, 2, 1)));
        c.add(new Case("Atomics: misaligned long", iae, null, () -> Atomics.compareAndSetLong(open, 4, 0, 1)));
        c.add(new Case("Atomics: negative index", ioobe, null, () -> Atomics.setIntVolatile(open, -4, 1)));
        c.add(new Case("Atomics: word past the limit", ioobe, null, () -> Atomics.getLongVolatile(open, page - 4)));
        c.add(new Case("Atomics: closed mapping", ise, null, () -> Atomics.getIntVolatile(closed, 0)));
        c.add(new Case("Atomics: write to a read-only mapping", robe, null,
                () -> Atomics.setIntRelease(readOnly, 0, 1)));
        c.add(new Case("Atomics: write to the JDK's read-only MappedByteBuffer", robe, null,
                () -> Atomics.getAndSetLong(jdkMapped, 0, 1)));
        c.add(new Case("Atomics: read of a read-only mapping is fine", null, null,
                () -> Atomics.getLongVolatile(readOnly, 8)));
        // ---- Futex
        c.add(new Case("Futex.await: heap buffer", iae, null,
                () -> Futex.await(heap, 0, 0, 1, TimeUnit.SECONDS)));
        c.add(new Case("Futex.await: misaligned", iae, null, () -> Futex.await(direct, 1, 0, 1, TimeUnit.SECONDS)));
        c.add(new Case("Futex.await: word past the limit", ioobe, null,
                () -> Futex.await(open, page, 0, 1, TimeUnit.SECONDS)));
        c.add(new Case("Futex.await: closed mapping", ise, null,
                () -> Futex.await(closed, 0, 0, 1, TimeUnit.SECONDS)));
        c.add(new Case("Futex.await: null unit", npe, null, () -> Futex.await(open, 0, 0, 1, null)));
        c.add(new Case("Futex.await: read-only mapping is fine", null, null,
                () -> Futex.await(readOnly, 0, 1, 1, TimeUnit.SECONDS)));
        c.add(new Case("Futex.wake: zero count", iae, null, () -> Futex.wake(open, 0, 0)));
        c.add(new Case("Futex.wake: closed mapping", ise, null, () -> Futex.wake(closed, 0, 1)));
        c.add(new Case("Futex.wake all: heap buffer", iae, null, () -> Futex.wake(heap, 0, Integer.MAX_VALUE)));
        c.add(new Case("Futex.wake all: null buffer", npe, null, () -> Futex.wake(null, 0, Integer.MAX_VALUE)));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputGivesTheDocumentedException() {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 50, "at least 50 cases: " + cases.size());
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.name, () -> check(k)));
    }

    private static void check(Case k) {
        try {
            k.call.run();
        } catch (Throwable t) {
            if (k.expected == null) {
                fail(k.name + ": expected no exception", t);
            }
            if (!k.expected.isInstance(t)) {
                fail(k.name + ": expected " + k.expected.getSimpleName() + " but got " + t, t);
            }
            String message = String.valueOf(t.getMessage());
            if (k.errno != null) {
                assertEquals(k.errno, ((MmapException) t).errnoName(), k.name + ": " + message);
                assertTrue(message.contains(k.errno), k.name + ": the message names the errno: " + message);
            }
            // These types say all there is: the JDK's own have no message either.
            if (!(t instanceof NullPointerException) && !(t instanceof ClosedChannelException)
                    && !(t instanceof ReadOnlyBufferException)) {
                assertTrue(message.length() > 10, k.name + ": a message that says what is wrong: " + message);
            }
            return;
        }
        if (k.expected != null) {
            fail(k.name + ": expected " + k.expected.getSimpleName() + ", nothing was thrown");
        }
    }
}
