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
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record that spares later JVMs the hash of an extracted copy: written only for a copy that
 * hashed right and had not changed for the margin; trusted only while the copy's device, inode,
 * size and times are the recorded ones. A copy changed in place with its size kept (even with
 * its modification time put back), replaced by another file, or given a forged record is hashed
 * again and refused when its bytes differ.
 */
class VerifiedCopyTest {

    @TempDir
    Path dir;

    private byte[] good;
    private String sha256;
    private Path copy;
    private Path record;

    @BeforeEach
    void extract() throws Exception {
        good = new byte[41_600];
        new Random(7).nextBytes(good);
        sha256 = Sha256.hex(good, good.length);
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
    void aCopyThatHashesRightIsRecordedOnceSettledAndThenTrusted() throws Exception {
        assertTrue(VerifiedCopy.check(copy, sha256, good.length), "just written: hashed");
        assertFalse(Files.exists(record), "changed within the margin: not recorded");
        settle();
        assertTrue(VerifiedCopy.check(copy, sha256, good.length));
        assertTrue(Files.exists(record), "recorded");
        String text = new String(Files.readAllBytes(record), StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("mmap4j-verified-1 " + sha256 + " " + good.length + " "), text);
        assertTrue(VerifiedCopy.check(copy, sha256, good.length), "trusted by its record");
        assertFalse(VerifiedCopy.check(copy, "0" + sha256.substring(1), good.length),
                "a record of another digest proves nothing (hashed: no match)");
    }

    @Test
    void aCopyChangedInPlaceWithItsSizeAndModificationTimeKeptIsRefused() throws Exception {
        settle();
        assertTrue(VerifiedCopy.check(copy, sha256, good.length));
        assertTrue(Files.exists(record));
        FileTime modified = Files.getLastModifiedTime(copy);
        overwriteOneByte(copy, 20_000);
        Files.setLastModifiedTime(copy, modified); // the status-change time still moves
        assertEquals(good.length, Files.size(copy));
        assertFalse(VerifiedCopy.check(copy, sha256, good.length), "hashed again, and the bytes differ");
    }

    @Test
    void aCopyReplacedByAnotherFileOfTheSameSizeIsRefused() throws Exception {
        settle();
        assertTrue(VerifiedCopy.check(copy, sha256, good.length));
        byte[] bad = good.clone();
        bad[100] ^= 1;
        Path other = Files.write(dir.resolve("other"), bad);
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(copy));
        Files.move(other, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertFalse(VerifiedCopy.check(copy, sha256, good.length));
    }

    @Test
    void aForgedRecordWhoseStampIsNotTheFilesIsNotTrusted() throws Exception {
        overwriteOneByte(copy, 5);
        settle();
        // A record claiming the jar's digest, with a stamp that is not the file's: hashed, refused.
        FileStamp now = FileStamp.of(copy);
        FileStamp stale = new FileStamp(now.device, now.inode, now.size, now.modified, now.changed - 1_000_000);
        Files.write(record, ("mmap4j-verified-1 " + sha256 + " " + good.length + " " + stale.format() + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertFalse(VerifiedCopy.check(copy, sha256, good.length));
        // Garbage is no record either.
        Files.write(record, "mmap4j-verified-1 x y z".getBytes(StandardCharsets.US_ASCII));
        assertFalse(VerifiedCopy.check(copy, sha256, good.length));
    }

    @Test
    void aCopyOfAnotherSizeIsRefusedWithoutReadingIt() throws Exception {
        Files.write(copy, new byte[] {1, 2, 3});
        assertFalse(VerifiedCopy.check(copy, sha256, good.length));
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
}
