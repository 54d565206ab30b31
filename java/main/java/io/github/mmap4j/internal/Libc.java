/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which C library this Linux JVM runs on: glibc or musl (Alpine). The jar carries a build of the
 * shim for each ({@code natives/linux_64/} and {@code natives/linux_64_musl/}, the same for arm64),
 * and {@link #folder} picks the one for this process. Asked once, when the library loads.
 *
 * <p>The answer, first that applies:
 * <ol>
 * <li>{@value #PROPERTY}{@code =musl} or {@code =glibc}, when set: for a detection that is wrong,
 * or to try the other build;
 * <li>glibc when no musl loader is installed ({@code /lib/ld-musl-x86_64.so.1},
 * {@code /lib/ld-musl-aarch64.so.1}): every dynamically linked musl program, a JVM included, names
 * it as its interpreter and cannot start without it. Two {@code stat}s;
 * <li>the interpreter this process's executable names ({@code /proc/self/exe}, its ELF
 * {@code PT_INTERP}): musl for {@code ld-musl-*}, glibc for any other. The loader is the C library
 * of the process, whatever the executable (a {@code java} launcher or a program that embeds a JVM).
 * One read of a few hundred bytes: {@code /proc/self/maps}, below, cost a fresh JVM 2 to 3.5 ms
 * (the kernel's listing of a JVM's mappings, then a search of it by the interpreter, issue 27);
 * <li>where the executable names no interpreter (linked statically) or cannot be read,
 * {@code /proc/self/maps}, as sqlite-jdbc does: musl when musl's loader or libc is mapped
 * ({@code ld-musl-*}, {@code libc.musl-*}), glibc otherwise (a glibc distribution with the musl
 * package installed, say);
 * <li>where {@code /proc} cannot be read, {@code /etc/os-release}: musl for Alpine and its
 * derivatives ({@code ID} or {@code ID_LIKE}), glibc for any other distribution it names; without
 * it, musl, whose loader is installed.
 * </ol>
 *
 * <p>Outside Linux there is no choice to make: {@link #folder} leaves the folder alone and the
 * property is ignored.
 */
final class Libc {

    /** System property that overrides the detection: {@code musl} or {@code glibc}. */
    static final String PROPERTY = "mmap4j.libc";
    /** Appended to the glibc build's folder name for the musl build's ({@code linux_64_musl}). */
    static final String MUSL_SUFFIX = "_musl";

    private static final String[] MUSL_LOADERS = {"/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1"};
    /** How far into an executable {@link #interpreter} reads at most to find its interpreter. */
    private static final int READ_LIMIT = 1 << 20;

    private Libc() {
    }

    /**
     * The jar folder of the library for this process: {@code glibcFolder} itself
     * ({@code natives/linux_64/}) on glibc and outside Linux, with {@value #MUSL_SUFFIX} added on
     * musl ({@code natives/linux_64_musl/}).
     *
     * @param glibcFolder the folder native-lib-loader names for this OS and architecture, with or
     *        without a trailing {@code /}
     * @return the folder to load from, ending as {@code glibcFolder} ends
     * @throws UnsatisfiedLinkError if {@value #PROPERTY} is set to neither {@code musl} nor {@code glibc}
     */
    static String folder(String glibcFolder) {
        String os = System.getProperty("os.name", "");
        return folder(glibcFolder, os, os.startsWith("Linux") && isMusl());
    }

    /** {@link #folder(String)} on given inputs (tests). */
    static String folder(String glibcFolder, String osName, boolean musl) {
        if (!osName.startsWith("Linux") || !musl) {
            return glibcFolder;
        }
        boolean slash = glibcFolder.endsWith("/");
        String name = slash ? glibcFolder.substring(0, glibcFolder.length() - 1) : glibcFolder;
        return name + MUSL_SUFFIX + (slash ? "/" : "");
    }

    /** This Linux process's libc, by the rules of the class comment. */
    static boolean isMusl() {
        boolean loader = false;
        for (String path : MUSL_LOADERS) {
            loader |= new File(path).exists();
        }
        return isMusl(System.getProperty(PROPERTY), loader, new File("/proc/self/exe"), Paths.get("/proc/self/maps"),
                Paths.get("/etc/os-release"));
    }

    /**
     * The decision on given inputs (tests pass their own files).
     *
     * @param override the value of {@value #PROPERTY}, or null
     * @param muslLoaderInstalled whether a musl dynamic loader exists under {@code /lib}
     * @param executable this process's executable ({@code /proc/self/exe})
     * @param maps this process's {@code /proc/self/maps}
     * @param osRelease {@code /etc/os-release}
     * @return whether to load the musl build
     */
    static boolean isMusl(String override, boolean muslLoaderInstalled, File executable, Path maps, Path osRelease) {
        if (override != null && !override.isEmpty()) {
            String value = override.trim().toLowerCase(Locale.ROOT);
            if (value.equals("musl") || value.equals("glibc")) {
                return value.equals("musl");
            }
            throw new UnsatisfiedLinkError("mmap4j: -D" + PROPERTY + "=" + override + " names no C library: use -D"
                    + PROPERTY + "=musl or -D" + PROPERTY + "=glibc, or remove it to detect the one this JVM runs on");
        }
        if (!muslLoaderInstalled) {
            return false;
        }
        String interpreter = interpreter(executable);
        if (interpreter != null) {
            return interpreter.contains("/ld-musl-");
        }
        // java.io, not Files.newInputStream: no channel, no temporary direct buffer for a 64 KiB read.
        try (InputStream in = new FileInputStream(maps.toFile())) {
            return mapsShowMusl(in);
        } catch (IOException | SecurityException e) {
            // No /proc (a chroot or a locked-down container): ask the distribution.
        }
        try {
            Boolean alpine = osReleaseSaysMusl(Files.readAllLines(osRelease, StandardCharsets.UTF_8));
            return alpine == null || alpine;
        } catch (IOException | SecurityException e) {
            return true; // nothing to ask: the installed loader is all there is to go by
        }
    }

    /**
     * The dynamic loader an ELF executable names ({@code PT_INTERP}), e.g.
     * {@code /lib64/ld-linux-x86-64.so.2} or {@code /lib/ld-musl-x86_64.so.1}.
     *
     * @param executable the file
     * @return the loader's path; null when the file is not ELF, names none (linked statically), or
     *         cannot be read
     */
    static String interpreter(File executable) {
        // java.io's FileInputStream, read from the start, not RandomAccessFile and seeks: the JVM has
        // loaded it already, where RandomAccessFile and its interfaces are classes a fresh JVM 8
        // reads from rt.jar (issue 27). The header, the program headers and the interpreter's path
        // lie in the file's first few hundred bytes; up to READ_LIMIT is read to find them.
        try (InputStream in = new FileInputStream(executable)) {
            byte[] head = new byte[4096];
            int length = readUpTo(in, head, 0);
            if (length < 64 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F'
                    || head[4] < 1 || head[4] > 2 || head[5] < 1 || head[5] > 2) {
                return null;
            }
            boolean wide = head[4] == 2; // ELFCLASS64
            boolean little = head[5] == 1; // ELFDATA2LSB
            long table = wide ? number(head, 32, 8, little) : number(head, 28, 4, little);
            int entrySize = (int) number(head, wide ? 54 : 42, 2, little);
            int entries = (int) number(head, wide ? 56 : 44, 2, little);
            long tableEnd = table + (long) entries * entrySize;
            // Offsets are unsigned: one with the top bit set reads as negative here, and is as far out of reach.
            if (entrySize < (wide ? 56 : 32) || table < 0 || tableEnd > READ_LIMIT) {
                return null;
            }
            if (tableEnd > length) {
                head = Arrays.copyOf(head, (int) tableEnd);
                if ((length = readUpTo(in, head, length)) < tableEnd) {
                    return null;
                }
            }
            for (int i = 0; i < entries; i++) {
                int at = (int) (table + (long) i * entrySize);
                if (number(head, at, 4, little) != 3) { // PT_INTERP
                    continue;
                }
                long offset = wide ? number(head, at + 8, 8, little) : number(head, at + 4, 4, little);
                long size = wide ? number(head, at + 32, 8, little) : number(head, at + 16, 4, little);
                if (size <= 0 || size > 4096 || offset < 0 || offset + size > READ_LIMIT) {
                    return null;
                }
                if (offset + size > length) {
                    head = Arrays.copyOf(head, (int) (offset + size));
                    if ((length = readUpTo(in, head, length)) < offset + size) {
                        return null;
                    }
                }
                char[] path = new char[(int) size];
                int end = 0;
                while (end < path.length && head[(int) offset + end] != 0) {
                    path[end] = (char) (head[(int) offset + end] & 0xff);
                    end++;
                }
                return new String(path, 0, end);
            }
            return null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Fills {@code bytes} from {@code from} until it is full or the stream ends; the bytes it then holds. */
    private static int readUpTo(InputStream in, byte[] bytes, int from) throws IOException {
        int length = from;
        int n;
        while (length < bytes.length && (n = in.read(bytes, length, bytes.length - length)) > 0) {
            length += n;
        }
        return length;
    }

    /** An unsigned number of {@code width} bytes at {@code at}, in the file's byte order. */
    private static long number(byte[] bytes, int at, int width, boolean little) {
        long value = 0;
        for (int i = 0; i < width; i++) {
            int b = bytes[at + (little ? width - 1 - i : i)] & 0xff;
            value = value << 8 | b;
        }
        return value;
    }

    /**
     * Whether a {@code /proc/<pid>/maps} listing has musl's loader or libc mapped. Read as bytes and
     * searched whole: a JVM's listing is hundreds of lines, and decoding them line by line made a
     * fresh JVM's load 3 to 5 ms slower, against 1 to 2 ms this way.
     *
     * @param maps the listing
     * @return true if a mapped file is {@code .../ld-musl-<arch>.so.1} or {@code .../libc.musl-<arch>.so.1}
     * @throws IOException if reading fails
     */
    static boolean mapsShowMusl(InputStream maps) throws IOException {
        byte[] text = new byte[64 * 1024];
        int length = 0;
        int n;
        while ((n = maps.read(text, length, text.length - length)) > 0) {
            length += n;
            if (length == text.length) {
                text = Arrays.copyOf(text, 2 * length);
            }
        }
        String listing = new String(text, 0, length, StandardCharsets.ISO_8859_1);
        return listing.contains("/ld-musl-") || listing.contains("/libc.musl-");
    }

    /**
     * What an {@code os-release} file says: true for Alpine and distributions like it, false for any
     * other named one, null when it names none.
     *
     * @param lines the file's lines ({@code ID=alpine}, {@code ID_LIKE="alpine"}, ...)
     * @return whether the distribution is musl-based, or null if unknown
     */
    static Boolean osReleaseSaysMusl(List<String> lines) {
        Boolean musl = null;
        for (String line : lines) {
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).trim();
            if (!key.equals("ID") && !key.equals("ID_LIKE")) {
                continue;
            }
            String value = line.substring(eq + 1).trim().replace("\"", "").replace("'", "");
            boolean alpine = false;
            for (String id : value.split("\\s+")) {
                alpine |= id.equals("alpine");
            }
            musl = (musl != null && musl) || alpine;
        }
        return musl;
    }
}
