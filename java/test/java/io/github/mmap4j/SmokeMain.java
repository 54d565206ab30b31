/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.NativeLibrary;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The smoke suite: one plain JVM run, no JUnit, against the packaged jar, so it can run under
 * an emulated arm64 JVM (qemu-user, ~1-3 s per JVM start) as well as on the host.
 *
 * <pre>
 *   java -cp target/mmap4j-VERSION.jar:target/test-classes io.github.mmap4j.SmokeMain [WORKDIR]
 * </pre>
 *
 * <p>Linux only (it checks the ELF file it loaded). Prints one {@code ok NAME} (or {@code FAIL NAME: reason}) line per check, in an order and
 * wording that does not depend on the platform, so the host's and the emulated run's outputs can
 * be diffed line for line; platform facts go on {@code #} lines. Exits 1 if any check failed.
 */
public final class SmokeMain {

    private static final PrintStream OUT = System.out;
    private static int passed;
    private static int failed;

    private SmokeMain() {
    }

    interface Check {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path work = args.length > 0 ? Paths.get(args[0]) : Files.createTempDirectory("mmap4j-smoke");
        Files.createDirectories(work);
        final Path file = work.resolve("smoke.bin");
        Files.deleteIfExists(file);
        final ByteBuffer[] mapped = new ByteBuffer[1];
        final int[] length = new int[1];

        check("load", () -> {
            // The normal loader path: no override, the jar's copy for this platform.
            must(System.getProperty("mmap4j.library.path") == null, "mmap4j.library.path is set");
            long page = Mmap.pageSize();
            must(page >= 4096 && Long.bitCount(page) == 1, "page size " + page);
            String dir = expectedDir();
            File library = new File(NativeLibrary.loadedFrom());
            String recorded = resourceText("natives/" + dir + "/libmmap4j.so.sha256").trim().split("\\s+")[0];
            must(recorded.equals(sha256(library)), library + " is not the jar's natives/" + dir + " library");
            int machine = elfMachine(library);
            must(machine == (dir.startsWith("linux_arm64") ? 0xB7 : 0x3E), "ELF e_machine " + machine);
            OUT.println("# os.arch " + System.getProperty("os.arch") + ", java " + System.getProperty("java.version")
                    + ", page size " + page);
            OUT.println("# native natives/" + dir + "/libmmap4j.so, ELF machine "
                    + (machine == 0xB7 ? "aarch64" : "x86_64") + ", extracted to " + library);
        });
        check("map", () -> {
            length[0] = (int) (2 * Mmap.pageSize());
            mapped[0] = Mmap.map(file, 0, length[0], MapOptions.of(MapMode.READ_WRITE).createOrGrow());
            must(mapped[0].isDirect() && mapped[0].capacity() == length[0], "buffer " + mapped[0]);
            must(Files.size(file) == length[0], "file size " + Files.size(file));
        });
        check("write", () -> {
            ByteBuffer b = mapped[0];
            for (int i = 0; i < length[0]; i++) {
                b.put(i, (byte) (i * 31 + 7));
            }
            b.put(0, "mmap4j".getBytes(StandardCharsets.US_ASCII)[0]);
            must(b.get(1) == (byte) 38, "read back from the mapping");
        });
        check("sync", () -> Mmap.force(mapped[0]));
        check("read-back", () -> {
            byte[] bytes = new byte[length[0]];
            try (InputStream in = new FileInputStream(file.toFile())) {
                int off = 0;
                int n;
                while (off < bytes.length && (n = in.read(bytes, off, bytes.length - off)) > 0) {
                    off += n;
                }
                must(off == bytes.length, "read " + off + " bytes");
            }
            must(bytes[0] == 'm', "byte 0 is " + bytes[0]);
            for (int i = 1; i < bytes.length; i++) {
                must(bytes[i] == (byte) (i * 31 + 7), "byte " + i + " is " + bytes[i]);
            }
        });
        check("residency", () -> {
            Residency r = Mmap.residency(mapped[0]);
            must(r.pages() == length[0] / Mmap.pageSize(), "pages " + r.pages());
            must(r.resident() == r.pages(), "just written, yet " + r);
        });
        check("advise", () -> {
            Mmap.advise(mapped[0], Advice.SEQUENTIAL);
            Mmap.advise(mapped[0], Advice.WILLNEED);
            Mmap.advise(mapped[0], Advice.NORMAL);
        });
        check("unmap", () -> {
            Mmap.unmap(mapped[0]);
            must(!Mmap.isMapped(mapped[0]), "still mapped");
            must(mapped[0].limit() == 0, "limit " + mapped[0].limit());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(0); // the file is free: no mapping holds it
            }
        });
        check("errno ENOENT", () -> {
            Path missing = work.resolve("no-such-file");
            try {
                Mmap.map(missing, MapMode.READ_ONLY);
                throw new AssertionError("mapping a missing file succeeded");
            } catch (MmapException e) {
                must("ENOENT".equals(e.errnoName()), "errno " + e.errnoName() + ": " + e.getMessage());
                must(e.errno() == 2, "errno value " + e.errno());
                must(e.getMessage().contains(missing.toString()), "message " + e.getMessage());
            }
        });
        Files.deleteIfExists(file);
        OUT.println("smoke: " + passed + " passed, " + failed + " failed");
        OUT.flush();
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void check(String name, Check check) {
        try {
            check.run();
            passed++;
            OUT.println("ok " + name);
        } catch (Throwable t) {
            failed++;
            OUT.println("FAIL " + name + ": " + t);
            t.printStackTrace();
        }
    }

    private static void must(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** The jar folder the loader must pick: by OS and arch, and musl's on Alpine (told apart here on its own). */
    private static String expectedDir() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String prefix = os.contains("mac") ? "osx_" : "linux_";
        String musl = !os.contains("mac") && new File("/etc/alpine-release").exists() ? "_musl" : "";
        return prefix + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "64") + musl;
    }

    private static String resourceText(String name) throws IOException {
        try (InputStream in = SmokeMain.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name + " on the class path (is the jar on it?)");
            }
            byte[] buf = new byte[256];
            int n = in.read(buf);
            return new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
        }
    }

    private static String sha256(File f) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] all = Files.readAllBytes(f.toPath());
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest(all)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    /** e_machine of a little-endian ELF file. */
    private static int elfMachine(File f) throws IOException {
        byte[] h = new byte[20];
        try (InputStream in = new FileInputStream(f)) {
            if (in.read(h) != h.length || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
                throw new IOException(f + " is not an ELF file");
            }
        }
        return (h[18] & 0xff) | (h[19] & 0xff) << 8;
    }
}
