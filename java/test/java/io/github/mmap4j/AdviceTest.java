/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** madvise: every advice this platform defines is exercised, every other one is refused as promised. */
class AdviceTest {

    @TempDir
    Path dir;

    /**
     * What the kernel may legitimately answer for a defined advice, besides success:
     * a kernel older than the headers (EINVAL), a feature compiled out (EINVAL), or
     * advice that does not fit the mapping (EINVAL, e.g. REMOVE on private memory).
     */
    private static final Map<Advice, Set<String>> ALLOWED_ERRORS = new EnumMap<>(Advice.class);

    static {
        for (Advice a : Advice.values()) {
            ALLOWED_ERRORS.put(a, new HashSet<>(Arrays.asList("EINVAL")));
        }
        // Collapsing needs free huge pages and may be refused by policy.
        ALLOWED_ERRORS.get(Advice.COLLAPSE).addAll(Arrays.asList("EAGAIN", "ENOMEM", "EPERM"));
        // Without swap, anonymous pages cannot be paged out; some kernels say so.
        ALLOWED_ERRORS.get(Advice.PAGEOUT).add("EAGAIN");
        ALLOWED_ERRORS.get(Advice.MERGEABLE).add("ENOMEM");
    }

    private static ByteBuffer touchedAnonymous(int pages) throws Exception {
        ByteBuffer buf = Mmap.anonymous((int) (pages * Mmap.pageSize()), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        for (int i = 0; i < buf.capacity(); i += (int) Mmap.pageSize()) {
            buf.put(i, (byte) 1);
        }
        return buf;
    }

    @Test
    void everyDefinedAdviceIsAcceptedOrRefusedWithADocumentedErrno() throws Exception {
        StringBuilder report = new StringBuilder("madvise on " + Platform.name() + ":\n");
        int exercised = 0;
        for (Advice advice : Advice.values()) {
            if (!advice.isSupported()) {
                continue;
            }
            exercised++;
            // REMOVE punches a hole in a shared object; everything else runs on private anonymous memory.
            ByteBuffer buf = advice == Advice.REMOVE ? Mmap.anonymous((int) (4 * Mmap.pageSize()), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED))
                    : touchedAnonymous(4);
            try {
                Mmap.advise(buf, advice);
                Mmap.advise(TestBuffers.slice(buf, 1, Mmap.pageSize()), advice); // a range, unaligned: rounded to pages
                report.append(String.format("  %-16s ok%n", advice));
            } catch (MmapException e) {
                assertTrue(ALLOWED_ERRORS.get(advice).contains(e.errnoName()), advice + ": " + e.getMessage());
                assertFalse(e.hint().isEmpty(), e.getMessage());
                assertTrue(e.call().startsWith("madvise(" + advice + ")"), e.call());
                report.append(String.format("  %-16s %s (%s)%n", advice, e.errnoName(), e.hint()));
            } finally {
                Mmap.unmap(buf);
            }
        }
        System.out.print(report);
        assertTrue(exercised >= 5, "the five POSIX ones at least");
    }

    @Test
    void everyUndefinedAdviceRaisesUnsupportedOperation() throws Exception {
        ByteBuffer buf = touchedAnonymous(1);
        for (Advice advice : Advice.values()) {
            if (advice.isSupported()) {
                continue;
            }
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Mmap.advise(buf, advice));
            assertTrue(e.getMessage().contains(advice.name())
                    && e.getMessage().contains(Platform.name()), e.getMessage());
            assertThrows(UnsupportedOperationException.class,
                    () -> Mmap.anonymous(4096 * 4, MapOptions.of(MapMode.READ_WRITE).advice(advice)),
                    "also at map time");
        }
        Mmap.unmap(buf);
        // The POSIX five exist everywhere.
        for (Advice a : new Advice[] {Advice.NORMAL, Advice.RANDOM, Advice.SEQUENTIAL, Advice.WILLNEED,
                Advice.DONTNEED}) {
            assertTrue(a.isSupported(), a.name());
        }
    }

    @Test
    void dontneedOnPrivateAnonymousMemoryReadsBackZeros() throws Exception {
        long page = Mmap.pageSize();
        ByteBuffer buf = Mmap.anonymous((int) (8 * page), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE));
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 0x5a);
        }
        assertEquals(8, Mmap.residency(buf).resident());
        Mmap.advise(TestBuffers.slice(buf, 2 * page, 3 * page), Advice.DONTNEED);
        for (int i = 0; i < buf.capacity(); i++) {
            boolean dropped = i >= 2 * page && i < 5 * page;
            assertEquals(dropped ? 0 : 0x5a, buf.get(i), "byte " + i);
        }
        Mmap.unmap(buf);
    }

    @Test
    void dontneedOnAPrivateFileMappingDropsTheCopyAndShowsTheFileAgain() throws Exception {
        long page = Mmap.pageSize();
        Path p = dir.resolve("cow.bin");
        byte[] bytes = new byte[(int) (2 * page)];
        Arrays.fill(bytes, (byte) 'f');
        Files.write(p, bytes);
        ByteBuffer buf = Mmap.map(p, 0, bytes.length, MapOptions.of(MapMode.PRIVATE));
        buf.put(10, (byte) 'x');
        Mmap.advise(buf, Advice.DONTNEED);
        assertEquals('f', buf.get(10), "the private copy is gone; the file's byte shows through");
        Mmap.unmap(buf);
    }

    /**
     * Discarding advice on a buffer that starts or ends inside a page touches only the pages
     * wholly inside the buffer: REMOVE on bytes 100..150 of a file once zeroed a whole page of the
     * file around them (100 bytes before, 3,946 after).
     */
    @Test
    void discardingAdviceLeavesBytesOutsideTheBufferAlone() throws Exception {
        long page = Mmap.pageSize();
        byte[] content = new byte[(int) (3 * page)];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 251 + 1);
        }
        for (Advice advice : new Advice[] {Advice.REMOVE, Advice.DONTNEED, Advice.FREE}) {
            if (!advice.isSupported()) {
                continue;
            }
            Path p = dir.resolve("neighbours-" + advice + ".bin");
            Files.write(p, content);
            // Shared file mappings: REMOVE punches the file; private ones: DONTNEED/FREE drop the private copy.
            MapOptions options = MapOptions.of(advice == Advice.REMOVE ? MapMode.READ_WRITE : MapMode.PRIVATE);
            ByteBuffer whole = Mmap.map(p, 0, content.length, options);
            whole.put(0, (byte) 0x7f); // a private copy of page 0 outside the small buffer
            ByteBuffer small = Mmap.map(p, 100, 50, options);
            Mmap.advise(small, advice);
            ByteBuffer straddling = Mmap.map(p, page - 10, (int) page, options);
            Mmap.advise(straddling, advice); // covers no whole page either
            Mmap.force(whole);
            byte[] now = Files.readAllBytes(p);
            assertEquals(content.length, now.length);
            for (int i = 0; i < content.length; i++) {
                byte expected = advice == Advice.REMOVE && i == 0 ? 0x7f : content[i];
                if (now[i] != expected) {
                    fail(advice + " changed byte " + i + " of the file (" + now[i] + " instead of " + expected + ")");
                }
            }
            assertEquals(0x7f, whole.get(0), advice + " dropped a private copy outside the buffer");
            Mmap.unmap(small);
            Mmap.unmap(straddling);
            Mmap.unmap(whole);
        }
    }

    @Test
    void adviceAtMapTimeIsGiven() throws Exception {
        long page = Mmap.pageSize();
        Path p = dir.resolve("advised.bin");
        Files.write(p, new byte[(int) (16 * page)]);
        ByteBuffer plain = Mmap.map(p, 0, (int) (16 * page), MapOptions.of(MapMode.READ_ONLY)
                .advice(Advice.SEQUENTIAL));
        assertEquals(16 * page, plain.capacity());
        Mmap.unmap(plain);
        if (Advice.POPULATE_WRITE.isSupported()) {
            ByteBuffer anon = Mmap.anonymous((int) (16 * page),
                    MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE).advice(Advice.POPULATE_WRITE));
            assertEquals(16, Mmap.residency(anon).resident(), "POPULATE_WRITE at map time faulted every page in");
            Mmap.unmap(anon);
        }
        // A failing advice at map time leaves nothing mapped and says which call failed.
        if (Advice.REMOVE.isSupported()) {
            try {
                ByteBuffer b = Mmap.anonymous((int) page,
                        MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE).advice(Advice.REMOVE));
                Mmap.unmap(b);
                fail("MADV_REMOVE on private memory should fail");
            } catch (MmapException e) {
                assertEquals("madvise", e.call());
                assertEquals("EINVAL", e.errnoName());
            }
        }
    }

    @Test
    void removePunchesAHoleInSharedMemory() throws Exception {
        if (!Advice.REMOVE.isSupported()) {
            return;
        }
        long page = Mmap.pageSize();
        ByteBuffer buf = Mmap.anonymous((int) (4 * page), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 3);
        }
        Mmap.advise(TestBuffers.slice(buf, page, page), Advice.REMOVE);
        assertEquals(0, buf.get((int) page));
        assertEquals(3, buf.get(0));
        assertEquals(3, buf.get((int) (2 * page)));
        Mmap.unmap(buf);
    }
}
