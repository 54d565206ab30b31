/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** node-mmap's two-process example: a second JVM maps the same file and sees the first one's write. */
class TwoProcessTest {

    @TempDir
    Path dir;

    /** The second process: maps the file read-only and prints the int at offset 0 in hex. */
    public static final class Reader {
        public static void main(String[] args) throws Exception {
            Path file = Paths.get(args[0]);
            ByteBuffer buf = Mmap.map(file, MapMode.READ_ONLY);
            System.out.println("0x" + Integer.toHexString(buf.getInt(0)));
            Mmap.unmap(buf);
        }
    }

    @Test
    void secondJvmSeesTheWriteWithoutSync() throws Exception {
        Path file = dir.resolve("temp_file");
        ByteBuffer buf = Mmap.map(file, 0, 1024, MapOptions.of(MapMode.READ_WRITE).createOrGrow());
        buf.putInt(0, 0xDEADBEEF);
        // No msync: both processes share the page cache through MAP_SHARED.
        ChildProcess.Result r = ChildProcess.jvm(Reader.class, file.toString()).in(dir).options("-Xshare:auto")
                .timeout(60).run();
        assertEquals(0, r.exit, r.toString());
        assertEquals("0xdeadbeef", r.out.trim(), r.toString());
        Mmap.unmap(buf);
        assertTrue(Arrays.equals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef},
                Arrays.copyOf(Files.readAllBytes(file), 4)));
    }
}
