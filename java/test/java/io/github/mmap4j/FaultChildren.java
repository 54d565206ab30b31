/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Faults that come from outside mmap4j's close, each run in a child JVM (a crash is a failed
 * test, not a dead run): a file truncated by another process under a live mapping, read and
 * written through every JDK path; protected pages handed to JDK code and {@link Atomics}.
 * {@code main(scenario, args...)}; prints {@code ok: ...} lines and, last, {@code FAILURES n}.
 */
final class FaultChildren {

    private static final PrintStream OUT = System.out;
    private static final List<String> FAILURES = new ArrayList<>();

    private FaultChildren() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "truncated":
                truncated(Paths.get(args[1]), args[2]);
                break;
            case "truncated-partly":
                truncatedPartly(Paths.get(args[1]));
                break;
            case "truncated-growable":
                truncatedGrowable(Paths.get(args[1]));
                break;
            case "shrunk-shm":
                shrunkSharedMemory(args[1]);
                break;
            case "truncate-close-race":
                truncateCloseRace(Paths.get(args[1]), Long.parseLong(args[2]));
                break;
            case "full-tmpfs":
                fullTmpfs(Paths.get(args[1]));
                break;
            case "protected":
                protectedPages(args[1]);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        OUT.println("FAILURES " + FAILURES.size() + " " + FAILURES);
        System.exit(FAILURES.isEmpty() ? 0 : 1);
    }

    static void check(String what, boolean ok) {
        OUT.println((ok ? "ok: " : "FAILED: ") + what);
        if (!ok) {
            FAILURES.add(what);
        }
    }

    /** {@code truncate -s SIZE FILE} in another process. */
    static void truncateElsewhere(Path file, long size) throws Exception {
        Process p = new ProcessBuilder("truncate", "-s", Long.toString(size), file.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("truncate failed");
        }
    }

    private static ByteBuffer mapFilled(Path file, int length) throws Exception {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) 0x5A);
        Files.write(file, data);
        return Mmap.map(file, 0, length, MapOptions.of(MapMode.READ_WRITE));
    }

    /**
     * One access path over a mapping whose whole file was truncated to 0 by another process: it
     * completes (reads zeros), the mapping reports it, range calls throw ENXIO, unmap works and the
     * file stays empty.
     */
    static void truncated(Path file, String path) throws Exception {
        int length = (int) (16 * Mmap.pageSize());
        ByteBuffer buf = mapFilled(file, length);
        truncateElsewhere(file, 0);
        OUT.println("file size now " + Files.size(file) + ", path " + path);
        switch (path) {
            case "crc32": {
                CRC32 crc = new CRC32();
                crc.update(buf.duplicate());
                CRC32 zeros = new CRC32();
                zeros.update(new byte[length]);
                check("CRC32 of the truncated mapping is the CRC32 of zeros", crc.getValue() == zeros.getValue());
                break;
            }
            case "adler32": {
                Adler32 adler = new Adler32();
                adler.update(buf.duplicate());
                Adler32 zeros = new Adler32();
                zeros.update(new byte[length]);
                check("Adler32 reads zeros", adler.getValue() == zeros.getValue());
                break;
            }
            case "bulk-get": {
                byte[] to = new byte[length];
                Arrays.fill(to, (byte) 1);
                buf.duplicate().get(to);
                check("bulk get reads zeros", Arrays.equals(to, new byte[length]));
                break;
            }
            case "bulk-put": {
                ByteBuffer from = ByteBuffer.allocateDirect(length);
                buf.duplicate().put(from);
                byte[] back = new byte[length];
                buf.duplicate().get(back);
                check("bulk put completes", true);
                break;
            }
            case "digest": {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(buf.duplicate());
                check("MessageDigest completes", md.digest().length == 32);
                break;
            }
            case "atomics": {
                // The first calls run interpreted: Unsafe_CompareAndSetInt/Long, a VM native.
                int before = Atomics.getAndAddInt(buf, 64, 5);
                boolean set = Atomics.compareAndSetLong(buf, 128, 0L, 7L);
                long old = Atomics.getAndSetLong(buf, 256, 9L);
                int oldInt = Atomics.getAndSetInt(buf, 512, 3);
                check("getAndAddInt saw 0 and added", before == 0 && Atomics.getIntVolatile(buf, 64) == 5);
                check("compareAndSetLong on zero memory", set && Atomics.getLongVolatile(buf, 128) == 7L);
                check("getAndSet saw zeros", old == 0 && oldInt == 0);
                break;
            }
            case "scalar": {
                long sum = 0;
                for (int i = 0; i < length; i += 8) {
                    sum += buf.getLong(i);
                    buf.putLong(i, i);
                }
                check("scalar reads saw zeros", sum == 0);
                check("scalar writes land in the cover", buf.getLong(8) == 8);
                break;
            }
            default:
                throw new IllegalArgumentException(path);
        }
        check("Mmap.isTruncated", Mmap.isTruncated(buf));
        try {
            Mmap.force(buf);
            check("force after truncation throws", false);
        } catch (MmapException e) {
            OUT.println("force: " + e.getMessage().replace('\n', ' '));
            check("force throws ENXIO naming the truncation", "ENXIO".equals(e.errnoName())
                    && e.getMessage().contains("past the end of its file"));
        }
        Mmap.unmap(buf);
        check("unmap works and the buffer is limited to 0", buf.limit() == 0 && !Mmap.isMapped(buf));
        check("the file stays empty", Files.size(file) == 0);
    }

    /**
     * A file truncated to 10 of its 64 pages: pages before the new end keep the file's bytes, every
     * page after it reads zeros; each path survives.
     */
    static void truncatedPartly(Path file) throws Exception {
        long page = Mmap.pageSize();
        int length = (int) (64 * page);
        int kept = (int) (10 * page);
        ByteBuffer buf = mapFilled(file, length);
        truncateElsewhere(file, kept);
        byte[] expected = new byte[length];
        Arrays.fill(expected, 0, kept, (byte) 0x5A);
        CRC32 want = new CRC32();
        want.update(expected);
        CRC32 crc = new CRC32();
        crc.update(buf.duplicate());
        check("CRC32: file bytes up to the new end, zeros after", crc.getValue() == want.getValue());
        byte[] got = new byte[length];
        buf.duplicate().get(got);
        check("bulk get: the same", Arrays.equals(got, expected));
        buf.put(1, (byte) 0x11); // inside the file: reaches it
        buf.put(kept + 5, (byte) 0x22); // past its end: lands in the cover
        check("isTruncated", Mmap.isTruncated(buf));
        Mmap.unmap(buf);
        byte[] onDisk = Files.readAllBytes(file);
        check("the file keeps its size and the write inside it", onDisk.length == kept && onDisk[1] == 0x11);
    }

    /**
     * Truncation racing close and reclaim: a reader thread runs CRC32 and bulk copies over a
     * mapping whose file is being truncated (page faults covered one by one) while the main
     * thread closes it, drops it and collects; many rounds, other mappings mapped meanwhile.
     */
    static void truncateCloseRace(Path file, long millis) throws Exception {
        long page = Mmap.pageSize();
        int length = (int) (64 * page);
        long end = System.currentTimeMillis() + millis;
        int rounds = 0;
        final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        while (System.currentTimeMillis() < end) {
            ByteBuffer buf = mapFilled(file, length);
            final ByteBuffer view = buf.duplicate();
            final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread reader = new Thread(() -> {
                byte[] to = new byte[length];
                try {
                    while (!stop.get()) {
                        CRC32 crc = new CRC32();
                        crc.update(view.duplicate());
                        view.duplicate().get(to);
                        Atomics.getAndAddInt(view, (int) (page * (rounds() % 64)), 1);
                    }
                } catch (IllegalStateException closed) {
                    // Atomics on a closed mapping: expected once the main thread closed it.
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            reader.start();
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength((rounds % 64) * page);
            }
            Thread.sleep(1);
            ByteBuffer other = Mmap.anonymous((int) page, MapOptions.of(MapMode.READ_WRITE));
            Mmap.unmap(buf);
            stop.set(true);
            reader.join();
            Mmap.unmap(other);
            if (++rounds % 20 == 0) {
                System.gc();
            }
            ROUNDS.incrementAndGet();
        }
        check("no unexpected failure in the reader: " + failure.get(), failure.get() == null);
        OUT.println("truncate/close race: rounds=" + rounds);
        check("some rounds ran", rounds > 10);
    }

    private static final java.util.concurrent.atomic.AtomicInteger ROUNDS = new java.util.concurrent.atomic.AtomicInteger();

    private static int rounds() {
        return ROUNDS.get();
    }

    /**
     * Writing through a mapping of a sparse file on a tmpfs too small for it: the first page
     * the file system cannot allocate raises SIGBUS, which is covered like a truncation; the
     * mapping reports it and force refuses, so the writer learns its bytes did not all land.
     */
    static void fullTmpfs(Path file) throws Exception {
        long page = Mmap.pageSize();
        int length = (int) (1024 * page); // 4 MiB on a 1 MiB tmpfs
        ByteBuffer buf = Mmap.map(file, 0, length, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        for (int i = 0; i < length; i += (int) page) {
            buf.put(i, (byte) 1);
        }
        check("isTruncated after the file system ran out of pages", Mmap.isTruncated(buf));
        try {
            Mmap.force(buf);
            check("force refuses", false);
        } catch (MmapException e) {
            check("force refuses with ENXIO", "ENXIO".equals(e.errnoName()));
        }
        Mmap.unmap(buf);
        check("the file keeps its size", Files.size(file) == length);
    }

    /** A growable region whose file another process truncated: views survive, grow refuses. */
    static void truncatedGrowable(Path file) throws Exception {
        long page = Mmap.pageSize();
        GrowableRegion region = GrowableRegion.open(file, 1L << 30, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        region.grow(32 * page);
        ByteBuffer view = region.view(0, (int) (32 * page));
        view.put(0, (byte) 1);
        truncateElsewhere(file, 0);
        CRC32 crc = new CRC32();
        crc.update(view.duplicate());
        check("CRC32 over the truncated growable region completes", crc.getValue() != 0 || true);
        check("region.isTruncated", region.isTruncated());
        try {
            region.grow(64 * page);
            check("grow after truncation throws", false);
        } catch (MmapException e) {
            check("grow throws ENXIO", "ENXIO".equals(e.errnoName()));
        }
        region.close();
        check("close works", !region.isOpen());
    }

    /** A shared memory object another process shrank: Atomics and CRC32 through it survive. */
    static void shrunkSharedMemory(String name) throws Exception {
        long page = Mmap.pageSize();
        ByteBuffer shm = SharedMemory.create(name, (int) (8 * page));
        try {
            Atomics.setIntVolatile(shm, 0, 42);
            truncateElsewhere(Paths.get("/dev/shm" + name), 0);
            int v = Atomics.getAndAddInt(shm, (int) (4 * page), 1);
            CRC32 crc = new CRC32();
            crc.update(shm.duplicate());
            check("Atomics on the shrunk object read zeros", v == 0 && Atomics.getIntVolatile(shm, 0) == 0);
            check("isTruncated", Mmap.isTruncated(shm));
            Mmap.unmap(shm);
        } finally {
            SharedMemory.unlink(name);
        }
    }

    /**
     * Protected pages handed to code that cannot throw from a fault: {@link Atomics} refuse before
     * touching memory; CRC32 and Adler32 over a PROT_NONE page complete (the page gets back the
     * protection it was mapped with).
     */
    static void protectedPages(String what) throws Exception {
        long page = Mmap.pageSize();
        OUT.println("java " + System.getProperty("java.specification.version") + " canTrapProtectionFaults="
                + Mmap.canTrapProtectionFaults());
        ByteBuffer buf = Mmap.anonymous((int) (4 * page), MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.SHARED));
        buf.put(0, (byte) 7);
        ByteBuffer second = (ByteBuffer) ((ByteBuffer) buf.duplicate().position((int) page)).slice();
        if (!Mmap.canTrapProtectionFaults()) {
            try {
                Mmap.protect(second, Protection.READ);
                check("protect refused on this JVM", false);
            } catch (UnsupportedOperationException e) {
                check("protect refused on this JVM", true);
            }
            return;
        }
        switch (what) {
            case "atomics": {
                Mmap.protect(second, Protection.READ);
                refused("getAndAddInt on a READ page", () -> Atomics.getAndAddInt(buf, (int) page, 1));
                refused("compareAndSetLong on a READ page", () -> Atomics.compareAndSetLong(buf, (int) page + 8, 0, 1));
                refused("getAndSetInt on a READ page", () -> Atomics.getAndSetInt(buf, (int) page + 16, 1));
                check("getIntVolatile on a READ page works", Atomics.getIntVolatile(buf, (int) page) == 0);
                check("getAndAddInt on the unprotected page works", Atomics.getAndAddInt(buf, 0, 1) == 7);
                Mmap.protect(second, new Protection[0]);
                refused("getIntVolatile on a NONE page", () -> Atomics.getIntVolatile(buf, (int) page));
                Mmap.protect(second, Protection.READ, Protection.WRITE);
                check("getAndAddInt after READ+WRITE again", Atomics.getAndAddInt(buf, (int) page, 1) == 0);
                MappedRegion none = Mmap.anonymousRegion(page, MapOptions.of(MapMode.READ_WRITE)
                        .protection(new Protection[0]));
                ByteBuffer nv = none.view(0, 8);
                refused("getLongVolatile on a mapping made without protection",
                        () -> Atomics.getLongVolatile(nv, 0));
                none.close();
                break;
            }
            case "crc32":
            case "adler32": {
                ByteBuffer whole = buf.duplicate();
                Mmap.protect(second, new Protection[0]);
                java.util.zip.Checksum read = what.equals("crc32") ? new CRC32() : new Adler32();
                updateFrom(read, whole);
                long value = read.getValue();
                byte[] expected = new byte[(int) (4 * page)];
                expected[0] = 7;
                java.util.zip.Checksum real = what.equals("crc32") ? new CRC32() : new Adler32();
                real.update(expected, 0, expected.length);
                long want = real.getValue();
                check(what + " over a PROT_NONE page completes with the real bytes", value == want);
                break;
            }
            default:
                throw new IllegalArgumentException(what);
        }
        Mmap.unmap(buf);
    }

    /** {@code update(ByteBuffer)} of CRC32 or Adler32 (the intrinsic paths; Checksum has it only from JDK 9). */
    private static void updateFrom(java.util.zip.Checksum checksum, ByteBuffer bytes) {
        if (checksum instanceof CRC32) {
            ((CRC32) checksum).update(bytes);
        } else {
            ((Adler32) checksum).update(bytes);
        }
    }

    private interface Access {
        void run() throws Exception;
    }

    private static void refused(String what, Access access) throws Exception {
        try {
            access.run();
            check(what + " is refused", false);
        } catch (IllegalStateException e) {
            OUT.println(what + ": " + e.getMessage());
            check(what + " is refused", e.getMessage().contains("Mmap.protect"));
        }
    }
}
