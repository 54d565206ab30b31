/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the extraction directory and the copy in it must be before {@code System.load} may be given
 * the copy, each refusal with a message that says what was found: a directory of this user's with
 * mode exactly 0700, never a link, a file or another mode; a regular file of the directory's owner
 * that nobody else may write, never a link or a FIFO. The modes are read as bits (issue 27: not
 * through {@code PosixFileAttributes.permissions()}), so each bit is tried on its own.
 */
class ExtractionDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aNewDirectoryIsMadeWithMode0700AndPassesItsOwnCheck() throws IOException {
        Path made = dir.resolve("a/b/mmap4j-test");
        ExtractionDirectory.prepare(made, true);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        ExtractionDirectory.prepare(made, false); // found there: checked, accepted
    }

    @Test
    void aDirectoryWithAnyOtherModeIsRefusedAndLeftAsFound() throws IOException {
        for (String mode : new String[] {"rwxr-xr-x", "rwx-----x", "rwx---r--", "rwx-w----", "rw-------",
                "r-x------", "-wx------", "rwxrwxrwx"}) {
            Path found = Files.createDirectory(dir.resolve("found-" + mode.replace('-', '_')));
            Files.setPosixFilePermissions(found, PosixFilePermissions.fromString(mode));
            IOException e = assertThrows(IOException.class, () -> ExtractionDirectory.prepare(found, false), mode);
            assertTrue(e.getMessage().contains(found + " has permissions " + mode + ", expected rwx------"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("-Dmmap4j.tmpdir"), e.getMessage());
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(found)), "left as found");
        }
    }

    @Test
    void aLinkToAGoodDirectoryAndAFileAreRefused() throws IOException {
        Path good = dir.resolve("good");
        ExtractionDirectory.prepare(good, false);
        Path link = Files.createSymbolicLink(dir.resolve("link"), good);
        IOException e = assertThrows(IOException.class, () -> ExtractionDirectory.prepare(link, false));
        assertEquals(link + " is a symbolic link; refusing to follow it", e.getMessage());

        Path file = Files.write(dir.resolve("file"), new byte[1]);
        e = assertThrows(IOException.class, () -> ExtractionDirectory.prepare(file, false));
        assertEquals(file + " exists and is not a directory", e.getMessage());
    }

    @Test
    void aCopyMustBeARegularFileThatOnlyItsOwnerMayWrite() throws Exception {
        Path directory = dir.resolve("copies");
        int owner = ExtractionDirectory.prepare(directory, false);
        assertEquals(Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS), owner,
                "prepare returns the directory's owner");
        for (String mode : new String[] {"rw-r--r--", "r--------", "rwx------", "rw-r-xr-x"}) {
            Path copy = Files.write(directory.resolve("ok-" + mode.replace('-', '_')), new byte[1]);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(mode));
            FileStamp stamp = ExtractionDirectory.checkFile(copy, owner);
            assertTrue(stamp.sameAs(FileStamp.of(copy)), "the stamp of the lstat the checks read");
            IOException e = assertThrows(IOException.class, () -> ExtractionDirectory.checkFile(copy, owner + 1), mode);
            assertEquals(copy + " belongs to uid " + owner + ", its directory to uid " + (owner + 1), e.getMessage());
        }
        for (String mode : new String[] {"rw-rw-r--", "rw-r--rw-", "rw--w----", "rw-----w-"}) {
            Path copy = Files.write(directory.resolve("bad-" + mode.replace('-', '_')), new byte[1]);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(mode));
            IOException e = assertThrows(IOException.class, () -> ExtractionDirectory.checkFile(copy, owner),
                    mode);
            assertEquals(copy + " can be written by others (" + mode + ")", e.getMessage());
        }

        Path target = Files.write(directory.resolve("target"), new byte[1]);
        Path link = Files.createSymbolicLink(directory.resolve("link"), target);
        IOException e = assertThrows(IOException.class, () -> ExtractionDirectory.checkFile(link, owner));
        assertEquals(link + " is not a regular file (a link)", e.getMessage());

        Path fifo = directory.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
        e = assertThrows(IOException.class, () -> ExtractionDirectory.checkFile(fifo, owner));
        assertEquals(fifo + " is not a regular file", e.getMessage());
    }
}
