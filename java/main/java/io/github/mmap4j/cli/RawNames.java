/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * File names as bytes, where their strings lose them. A name may hold any byte but {@code /} and
 * NUL; the JVM decodes the command line and directory entries with {@code sun.jnu.encoding}, which
 * follows the locale on every JDK (JDK 18+ made only {@code file.encoding} UTF-8): under
 * {@code LANG=C} every non-ASCII byte becomes U+FFFD, and in a UTF-8 locale every byte that is not
 * valid UTF-8 does. {@code Paths.get} of such a string names another file, or none
 * ({@code InvalidPathException}: U+FFFD has no ASCII encoding). A path read from a directory keeps
 * its bytes (only its string shows U+FFFD); an argument's bytes are on Linux in
 * {@code /proc/self/cmdline}. A path is made of bytes through {@link Path#toUri()}'s inverse,
 * {@code Paths.get(URI)}, which takes percent-encoded bytes as they are.
 */
final class RawNames {

    private RawNames() {
    }

    /**
     * The bytes of the program's arguments as the kernel passed them: the last {@code args.length}
     * words of {@code /proc/self/cmdline}, each checked to decode to its argument as the launcher
     * decoded it.
     *
     * @param args the arguments {@code main} got.
     * @return one array per argument, or {@code null} where that is not known (no {@code /proc},
     *         arguments from an {@code @argfile}, or anything that does not match).
     */
    static byte[][] arguments(String[] args) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Paths.get("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<byte[]> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                words.add(java.util.Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (words.size() < args.length) {
            return null;
        }
        Charset jnu = fileNameCharset();
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            byte[] word = words.get(words.size() - args.length + i);
            if (!new String(word, jnu).equals(args[i])) {
                return null;
            }
            raw[i] = word;
        }
        return raw;
    }

    /**
     * The working directory, when the JVM's own idea of it is wrong: it takes {@code user.dir},
     * decoded from {@code getcwd} like any name, and resolves every relative path against its
     * re-encoded bytes, which name another directory (or none) when that decoding lost bytes (a
     * non-ASCII directory under {@code LANG=C}). Relative paths then fail with ENOENT, even
     * {@code .}, unless resolved against the real one ({@code /proc/self/cwd}, read as bytes).
     *
     * @return the working directory as bytes, or {@code null} when the JVM's is right or it is not known.
     */
    static Path workingDirectoryIfMisnamed() {
        try {
            Path real = Files.readSymbolicLink(Paths.get("/proc/self/cwd"));
            byte[] jvm = System.getProperty("user.dir", "").getBytes(fileNameCharset());
            byte[] actual = encoded(real);
            return java.util.Arrays.equals(jvm, actual) || !real.isAbsolute() ? null : real;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The charset the JVM decodes arguments and file names with. */
    static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /**
     * A path of exactly these bytes, relative or absolute as they are; slashes are collapsed as
     * {@code Paths.get} does.
     *
     * @param raw a path's bytes, without NUL.
     * @return the path; {@code null} for no bytes.
     */
    static Path path(byte[] raw) {
        Path result = raw.length > 0 && raw[0] == '/' ? Paths.get("/") : null;
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '/') {
                if (i > start) {
                    // "/name" from its bytes, then its one name element: a relative path of those bytes.
                    Path name = Paths.get(URI.create("file:///" + percentEncoded(raw, start, i))).getFileName();
                    result = result == null ? name : result.resolve(name);
                }
                start = i + 1;
            }
        }
        return result;
    }

    /**
     * The bytes of a path whose string does not show them (it holds U+FFFD).
     *
     * @param path a path.
     * @return its bytes, or {@code null} when its string is exact.
     */
    static byte[] bytes(Path path) {
        if (path.toString().indexOf('\uFFFD') < 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (path.isAbsolute()) {
            out.write('/');
        }
        Path root = Paths.get("/");
        for (int n = 0; n < path.getNameCount(); n++) {
            if (n > 0) {
                out.write('/');
            }
            String uri = root.resolve(path.getName(n)).toUri().getRawPath(); // "/name", "/name/" for a directory
            int end = uri.length() > 1 && uri.endsWith("/") ? uri.length() - 1 : uri.length();
            for (int i = 1; i < end; i++) {
                char c = uri.charAt(i);
                if (c == '%' && i + 2 < end) {
                    out.write(Integer.parseInt(uri.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    out.write(c); // outside %XX a URI path is ASCII
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * A path's name as text for JSON: its string, or where that does not show its bytes, the bytes
     * read as UTF-8 (the bytes that are not valid UTF-8 are U+FFFD still).
     *
     * @param path a path.
     * @return the text.
     */
    static String text(Path path) {
        byte[] raw = bytes(path);
        return raw == null ? path.toString() : new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A path's bytes as {@code open(2)} wants them: its bytes where the string lost them, else the
     * string in the file name encoding.
     *
     * @param path a path.
     * @return the bytes, without NUL.
     */
    static byte[] encoded(Path path) {
        byte[] raw = bytes(path);
        return raw != null ? raw : path.toString().getBytes(fileNameCharset());
    }

    private static String percentEncoded(byte[] raw, int from, int to) {
        StringBuilder s = new StringBuilder((to - from) * 3);
        for (int i = from; i < to; i++) {
            int b = raw[i] & 0xff;
            if (b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z') {
                s.append((char) b);
            } else {
                s.append('%').append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            }
        }
        return s.toString();
    }
}
