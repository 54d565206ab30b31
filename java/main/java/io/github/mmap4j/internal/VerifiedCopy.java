/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * Whether a copy of the library already in the extraction directory holds the bytes the jar
 * carries, without reading it in every JVM. The first JVM that finds the copy reads it and
 * checks its size and CRC-32 against the jar's record ({@link #holds}) and, when they match,
 * leaves a record next to it, {@code libmmap4j-<hash>.so}{@value #SUFFIX}: the jar's digest
 * (the SHA-256 that names the copy) and the size it proved, and the copy's {@link FileStamp}
 * (device, inode, size, modification and status-change time) from before and after the check.
 * Later JVMs trust the copy when the record names the jar's digest and size and the copy's stamp
 * is still the recorded one; anything else (no record, another digest, a stamp that changed, a
 * record that cannot be read) sends them back to reading it. (The record's format is the one
 * mmap4j wrote when it hashed copies with SHA-256: both mean the copy held the jar's bytes.)
 *
 * <p>A CRC-32, not a cryptographic digest, because what it checks for is damage: a half-written
 * or damaged copy or jar, or a jar put together from two builds. Nobody who could choose the bytes
 * is kept out by a digest: another user cannot write the directory (below), and whoever can write
 * the jar writes its record too. {@code java.util.zip.CRC32} is native code; a SHA-256 in Java
 * ran interpreted in a fresh JVM, 2 to 4 ms of a first extraction (issue 27).
 *
 * <p>Why that is as strong as checking every time. The directory is the user's own, mode 0700,
 * checked by {@link ExtractionDirectory}: another local user can neither create, replace nor
 * change a file in it, the record included, so against other users nothing changes. What is left
 * is the file changing under the same user (a tool, a mistake, a damaged disk), or root: a
 * change of its bytes changes its status-change time, which the kernel sets from its own clock
 * and no process can set back; a file put in its place has another inode or, when the number is
 * reused, another status-change time. One gap remains: a change within the same tick of the file
 * system's clock as the last one before the check keeps that time. So a record is written only when
 * the copy's last change was at least {@link #margin} (100 ms; 2 s where the file system keeps
 * whole seconds) before the check began: any later change then carries a later time. A copy just
 * extracted is therefore not recorded (its time is the rename's): the next JVM checks it once.
 * Code running as the same user could forge a record, but it could equally replace the jar, the
 * JVM or the environment: the same user was never a boundary, for this check or the one before.
 * A file system whose clock runs behind this machine's by more than the margin (a network file
 * system with a skewed server) weakens the tick argument to the same user's own changes.
 */
final class VerifiedCopy {

    /** Appended to the copy's name for its record. */
    static final String SUFFIX = ".verified";

    private static final String MAGIC = "mmap4j-verified-1";

    private VerifiedCopy() {
    }

    /**
     * Whether {@code copy} holds the jar's library: by its record when that still applies, else by
     * reading it and checking it against the jar's record ({@link #holds}; recording the result
     * when it matches).
     *
     * @param copy     a regular file in a directory {@link ExtractionDirectory} checked.
     * @param recorded the jar's record: SHA-256 (64 lower-case hex digits), size, CRC-32 (8 lower-case hex digits).
     * @return whether it is the jar's library.
     * @throws IOException when the copy cannot be read.
     */
    static boolean check(Path copy, String[] recorded) throws IOException {
        long size = Long.parseLong(recorded[1]);
        FileStamp before = FileStamp.of(copy);
        if (before.size != size) {
            return false;
        }
        if (matches(copy, recorded[0], size, before)) {
            return true;
        }
        long started = System.currentTimeMillis();
        byte[] bytes = Files.readAllBytes(copy);
        if (!holds(bytes, bytes.length, recorded)) {
            return false;
        }
        FileStamp after = FileStamp.of(copy);
        if (after.sameAs(before) && before.changed / 1000 + margin(before) <= started) {
            write(copy, recorded[0], size, before);
        }
        return true;
    }

    /**
     * Whether {@code bytes[0 .. length)} are the library the jar's record describes: its size and
     * its CRC-32. The one check of a library's bytes, for the jar's own before they are written
     * and for a copy found in the directory.
     *
     * @param bytes    the bytes.
     * @param length   how many of them.
     * @param recorded the jar's record, as {@link #check} takes it.
     * @return whether they match.
     */
    static boolean holds(byte[] bytes, int length, String[] recorded) {
        return Long.parseLong(recorded[1]) == length && recorded[2].equals(crc32(bytes, length));
    }

    /**
     * The CRC-32 of {@code bytes[0 .. length)} as 8 lower-case hex digits (the record's form).
     *
     * @param bytes  the bytes.
     * @param length how many of them.
     * @return the checksum.
     */
    static String crc32(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return Long.toHexString(crc.getValue() | 1L << 32).substring(1); // padded, without String.format
    }

    /**
     * How long before the check began the copy's last change must lie for a record: a tick of the
     * file system's clock and the difference between that clock and {@link System#currentTimeMillis}
     * fit in it with room to spare.
     */
    static long margin(FileStamp stamp) {
        return stamp.changed % 1_000_000 == 0 && stamp.modified % 1_000_000 == 0 ? 2_000 : 100;
    }

    /**
     * The stamp of {@code copy} as it is now, when its record proves it is the jar's library (the
     * digest and size of {@code recorded}); else null (no record, another digest, a stamp that
     * changed). Never reads the copy.
     *
     * @param copy     a file in a directory {@link ExtractionDirectory} checked.
     * @param recorded the jar's record, as {@link #check} takes it.
     * @return the copy's stamp, or null.
     */
    static FileStamp recorded(Path copy, String[] recorded) {
        try {
            long size = Long.parseLong(recorded[1]);
            FileStamp now = FileStamp.of(copy);
            return now.size == size && matches(copy, recorded[0], size, now) ? now : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the record of {@code copy} proves it is {@code sha256} of {@code size} bytes with stamp {@code now}. */
    private static boolean matches(Path copy, String sha256, long size, FileStamp now) {
        Path record = copy.resolveSibling(copy.getFileName() + SUFFIX);
        byte[] text = new byte[256];
        int length = 0;
        // java.io, not Files.newInputStream (a channel and a temporary direct buffer for 150 bytes). It
        // follows a link, which only this user could have put in the 0700 directory; what it reads
        // must match the copy's own stamp anyway.
        try (InputStream in = new FileInputStream(record.toFile())) {
            int n;
            while (length < text.length && (n = in.read(text, length, text.length - length)) > 0) {
                length += n;
            }
        } catch (IOException | RuntimeException e) {
            return false; // none yet, or unreadable: read the copy
        }
        String[] fields = new String(text, 0, length, StandardCharsets.US_ASCII).trim().split(" ");
        try {
            return fields.length == 8 && fields[0].equals(MAGIC) && fields[1].equals(sha256)
                    && Long.parseLong(fields[2]) == size && FileStamp.parse(fields, 3).sameAs(now);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Writes the record of {@code copy} through a temporary file renamed into place; a failure only costs a check. */
    private static void write(Path copy, String sha256, long size, FileStamp stamp) {
        Path record = copy.resolveSibling(copy.getFileName() + SUFFIX);
        Path temporary = NativeLibrary.temporaryIn(copy.getParent());
        try {
            NativeLibrary.writeNew(temporary, (MAGIC + " " + sha256 + " " + size + " " + stamp.format() + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                Files.move(temporary, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, record, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // The next JVM checks again.
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // A leftover .extract-*.tmp: OldCopies removes it.
            }
        }
    }
}
