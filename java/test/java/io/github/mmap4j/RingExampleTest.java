/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mmap4j.example.Ring;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring of docs/ipc.md ({@code example/Ring.java}, public API only): a producer JVM sends
 * messages through a {@link SharedMemory} object, this JVM receives every one, in order. Also
 * checks that the document shows exactly the code that ran.
 */
class RingExampleTest {

    static final int COUNT = 100_000;

    @TempDir
    Path dir;

    /** The message numbered {@code i}: its number, then {@code i % 57} bytes that depend on it. */
    static byte[] message(int i) {
        byte[] m = new byte[4 + i % 57];
        ByteBuffer.wrap(m).putInt(i);
        for (int k = 4; k < m.length; k++) {
            m[k] = (byte) (i * 31 + k);
        }
        return m;
    }

    /** The producer: {@code main(name, count)}. */
    public static final class Producer {
        public static void main(String[] args) throws Exception {
            ByteBuffer shm = SharedMemory.open(args[0], MapMode.READ_WRITE);
            Ring ring = new Ring(shm);
            for (int i = 0, n = Integer.parseInt(args[1]); i < n; i++) {
                ring.send(message(i));
            }
            Mmap.unmap(shm);
        }
    }

    @Test
    void everyMessageArrivesInOrderFromAnotherJvm() throws Exception {
        String name = "/m4j-ring-" + System.nanoTime() % 1_000_000_000L;
        ByteBuffer shm = SharedMemory.create(name, Ring.SIZE);
        try {
            ChildProcess.Running producer = ChildProcess.jvm(Producer.class, name, String.valueOf(COUNT)).in(dir)
                    .start();
            Ring ring = new Ring(shm);
            byte[] into = new byte[Ring.MESSAGE];
            for (int i = 0; i < COUNT; i++) {
                int length = ring.receive(into);
                byte[] expected = message(i);
                assertEquals(expected.length, length, "message " + i);
                for (int k = 0; k < length; k++) {
                    if (into[k] != expected[k]) {
                        throw new AssertionError("message " + i + " differs at byte " + k);
                    }
                }
            }
            ChildProcess.Result r = producer.finish();
            assertEquals(0, r.exit, r.toString());
        } finally {
            Mmap.unmap(shm);
            SharedMemory.unlink(name);
        }
    }

    @Test
    void theDocumentShowsTheCodeThatRan() throws Exception {
        String source = new String(Files.readAllBytes(
                Paths.get("java/test/java/io/github/mmap4j/example/Ring.java")), StandardCharsets.UTF_8);
        String code = source.substring(source.indexOf("import "));
        String doc = new String(Files.readAllBytes(Paths.get("docs/ipc.md")), StandardCharsets.UTF_8);
        assertTrue(doc.contains("```java\n" + code + "```\n"),
                "docs/ipc.md must show example/Ring.java from its first import on, verbatim");
    }
}
