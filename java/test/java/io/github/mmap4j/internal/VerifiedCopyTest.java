/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record that spares later JVMs reading an extracted copy: written only for a copy whose size
 * and CRC-32 matched the jar's record and had not changed for the margin; trusted only while the
 * copy's device, inode, size and times are the recorded ones. A copy changed in place with its
 * size kept (even with its modification time put back), replaced by another file, or given a
 * forged record is checked again and refused when its bytes differ.
 */
class VerifiedCopyTest {

    @TempDir
    Path dir;

    private byte[] good;
    private String sha256;
    /** The jar's record of {@link #good}: SHA-256, size, CRC-32, as NativeLibrary reads it. */
    private String[] recorded;
    private Path copy;
    private Path record;

    @BeforeEach
    void extract() throws Exception {
        good = new byte[41_600];
        new Random(7).nextBytes(good);
        StringBuilder hex = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(good)) {
            hex.append(String.format("%02x", b));
        }
        sha256 = hex.toString();
        CRC32 crc = new CRC32();
        crc.update(good);
        recorded = new String[] {sha256, Integer.toString(good.length), String.format("%08x", crc.getValue())};
        copy = Files.write(dir.resolve("libmmap4j-" + sha256.substring(0, 16) + ".so"), good);
        record = dir.resolve(copy.getFileName() + VerifiedCopy.SUFFIX);
    }

    /** Waits until the copy's last change lies beyond the margin, so that a check may record it. */
    private void settle() throws Exception {
        Thread.sleep(VerifiedCopy.margin(FileStamp.of(copy)) + 50);
    }

    private static void overwriteOneByte(Path file, long at) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x5a);
        }
    }

    @Test
    void aCopyThatChecksRightIsRecordedOnceSettledAndThenTrusted() throws Exception {
        assertTrue(VerifiedCopy.check(copy, recorded), "just written: checked");
        assertFalse(Files.exists(record), "changed within the margin: not recorded");
        settle();
        assertTrue(VerifiedCopy.check(copy, recorded));
        assertTrue(Files.exists(record), "recorded");
        String text = new String(Files.readAllBytes(record), StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("mmap4j-verified-1 " + sha256 + " " + good.length + " "), text);
        assertTrue(VerifiedCopy.check(copy, recorded), "trusted by its record");
        String[] another = {"0" + sha256.substring(1), recorded[1], "0" + recorded[2].substring(1)};
        assertFalse(VerifiedCopy.check(copy, another), "a record of another library proves nothing (checked: no match)");
    }

    @Test
    void aCopyChangedInPlaceWithItsSizeAndModificationTimeKeptIsRefused() throws Exception {
        settle();
        assertTrue(VerifiedCopy.check(copy, recorded));
        assertTrue(Files.exists(record));
        FileTime modified = Files.getLastModifiedTime(copy);
        overwriteOneByte(copy, 20_000);
        Files.setLastModifiedTime(copy, modified); // the status-change time still moves
        assertEquals(good.length, Files.size(copy));
        assertFalse(VerifiedCopy.check(copy, recorded), "checked again, and the bytes differ");
    }

    @Test
    void aCopyReplacedByAnotherFileOfTheSameSizeIsRefused() throws Exception {
        settle();
        assertTrue(VerifiedCopy.check(copy, recorded));
        byte[] bad = good.clone();
        bad[100] ^= 1;
        Path other = Files.write(dir.resolve("other"), bad);
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(copy));
        Files.move(other, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertFalse(VerifiedCopy.check(copy, recorded));
    }

    @Test
    void aForgedRecordWhoseStampIsNotTheFilesIsNotTrusted() throws Exception {
        overwriteOneByte(copy, 5);
        settle();
        // A record claiming the jar's digest, with a stamp that is not the file's: checked, refused.
        FileStamp now = FileStamp.of(copy);
        FileStamp stale = new FileStamp(now.device, now.inode, now.size, now.modified, now.changed - 1_000_000);
        Files.write(record, ("mmap4j-verified-1 " + sha256 + " " + good.length + " " + stale.format() + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertFalse(VerifiedCopy.check(copy, recorded));
        // Garbage is no record either.
        Files.write(record, "mmap4j-verified-1 x y z".getBytes(StandardCharsets.US_ASCII));
        assertFalse(VerifiedCopy.check(copy, recorded));
    }

    @Test
    void aCopyOfAnotherSizeIsRefusedWithoutReadingIt() throws Exception {
        Files.write(copy, new byte[] {1, 2, 3});
        assertFalse(VerifiedCopy.check(copy, recorded));
    }

    @Test
    void theStampSeesEveryKindOfChange() throws Exception {
        FileStamp before = FileStamp.of(copy);
        assertTrue(before.sameAs(FileStamp.of(copy)));
        assertTrue(before.sameAs(FileStamp.parse(("x " + before.format()).split(" "), 1)));
        Thread.sleep(20);
        overwriteOneByte(copy, 1);
        FileStamp after = FileStamp.of(copy);
        assertFalse(before.sameAs(after));
        assertNotEquals(before.changed, after.changed, "a write moves the status-change time");
    }

    /**
     * The stamp's times are microseconds since the epoch, the same on every JDK (JDK 8 reads them
     * as a unit count, later ones through an {@code Instant}), so records pass between JVMs of
     * different versions.
     */
    @Test
    void theStampsTimesAreMicrosecondsSinceTheEpochOnEveryJdk() throws Exception {
        Files.setLastModifiedTime(copy, FileTime.from(java.time.Instant.parse("2026-01-02T03:04:05.678901234Z")));
        FileStamp stamp = FileStamp.of(copy);
        java.time.Instant modified = Files.getLastModifiedTime(copy).toInstant();
        assertEquals(modified.getEpochSecond() * 1_000_000 + modified.getNano() / 1_000, stamp.modified);
        assertEquals(1_767_323_045_678_901L, stamp.modified, "microseconds, truncated (JDK 8 keeps no more)");
        long now = System.currentTimeMillis() * 1_000;
        assertTrue(Math.abs(stamp.changed - now) < 60_000_000L, "ctime " + stamp.changed + " against now " + now);
    }

    @Test
    void theChecksumIsTheCrc32OfTheBytesInTheRecordsForm() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals("cbf43926", VerifiedCopy.crc32(check, check.length), "the CRC-32 check value");
        assertEquals("00000000", VerifiedCopy.crc32(new byte[0], 0), "padded to eight digits");
        assertEquals(recorded[2], VerifiedCopy.crc32(good, good.length));
        assertEquals(VerifiedCopy.crc32(check, 4), VerifiedCopy.crc32("1234".getBytes(StandardCharsets.US_ASCII), 4),
                "only the first length bytes");
    }

    @Test
    void onlyTheRecordedSizeAndChecksumHold() {
        assertTrue(VerifiedCopy.holds(good, good.length, recorded));
        byte[] flipped = good.clone();
        flipped[41_000] ^= 0x10;
        assertFalse(VerifiedCopy.holds(flipped, flipped.length, recorded), "one bit changed");
        assertFalse(VerifiedCopy.holds(good, good.length - 1, recorded), "one byte short");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertFalse(VerifiedCopy.holds(longer, longer.length, recorded), "one byte more");
    }
}
