/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomics and wait/wake between real processes: two JVMs, and a JVM with a C program
 * ({@code native/test/ipc_helper.c}, found through {@code -Dmmap4j.ipcHelper}) that uses C11
 * atomics and mmap4j's C wait/wake layer on the same words.
 *
 * <p>Layout of the shared page, the same in {@code ipc_helper.c}: a {@code long} counter at byte 0,
 * an {@code int} counter at byte 64, the {@code int} that counts processes ready to start at
 * byte 128, the futex word at byte 256.
 */
class IpcTest {

    static final int LONG_COUNTER = 0;
    static final int INT_COUNTER = 64;
    static final int ARRIVALS = 128;
    static final int WORD = 256;
    static final int ADDS = 1_000_000;
    /** How long a woken waiter may take to return, on a loaded shared machine. */
    static final long WAKE_BOUND_MS = 2000;

    @TempDir
    Path dir;
    /** A page of a file in {@link #dir}, and this JVM's mapping of it. */
    private Path file;
    private ByteBuffer b;

    @BeforeEach
    void mapPage() throws IOException {
        file = dir.resolve("shared.bin");
        Files.write(file, new byte[4096]);
        b = Mmap.map(file, MapMode.READ_WRITE);
    }

    @AfterEach
    void unmapPage() throws IOException {
        Mmap.unmap(b);
    }

    /** Adds 1 to both counters {@code args[2]} times once the other process is ready. */
    public static final class Adder {
        public static void main(String[] args) throws Exception {
            ByteBuffer b = args[0].equals("shm") ? SharedMemory.open(args[1], MapMode.READ_WRITE)
                    : Mmap.map(Paths.get(args[1]), MapMode.READ_WRITE);
            add(b, Integer.parseInt(args[2]));
            Mmap.unmap(b);
        }
    }

    /** Sleeps {@code args[1]} ms, sets the word to 1, wakes every waiter, prints how many and when. */
    public static final class Waker {
        public static void main(String[] args) throws Exception {
            ByteBuffer b = Mmap.map(Paths.get(args[0]), MapMode.READ_WRITE);
            Thread.sleep(Long.parseLong(args[1]));
            Atomics.setIntVolatile(b, WORD, 1);
            long at = System.nanoTime();
            System.out.println("woken " + Futex.wake(b, WORD, Integer.MAX_VALUE) + " at " + at);
            Mmap.unmap(b);
        }
    }

    static void add(ByteBuffer b, int count) throws InterruptedException {
        Atomics.getAndAddInt(b, ARRIVALS, 1);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Atomics.getIntVolatile(b, ARRIVALS) < 2) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the other process never arrived");
            }
            Thread.yield();
        }
        for (int i = 0; i < count; i++) {
            Atomics.getAndAddLong(b, LONG_COUNTER, 1);
            Atomics.getAndAddInt(b, INT_COUNTER, 1);
        }
    }

    private static Path helper() {
        String path = System.getProperty("mmap4j.ipcHelper", "none");
        assumeTrue(!path.equals("none"), "no C helper: the native build was skipped (-Dmmap4j.testJar)");
        Path helper = Paths.get(path);
        assertTrue(Files.isExecutable(helper), "the C helper was not built: " + helper);
        return helper;
    }

    private static ChildProcess.Running startHelper(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(helper().toString());
        Collections.addAll(cmd, args);
        return ChildProcess.command(cmd).in(dir).start();
    }

    private static String finishHelper(ChildProcess.Running helper) throws Exception {
        ChildProcess.Result r = helper.finish();
        assertEquals(0, r.exit, "C helper: " + r);
        return r.out;
    }

    /** Waits (60 s at most) until the running child has written {@code lines} whole lines; returns them. */
    private static String[] awaitLines(ChildProcess.Running child, int lines) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String out = child.out();
        while (out.split("\n", -1).length <= lines && child.process().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1);
            out = child.out();
        }
        // Read again: a child that printed and exited between the read above and isAlive() left
        // its last lines out of that read (seen under load: "woken=1, the C program said nothing").
        return child.out().split("\n");
    }

    @Test
    void twoJvmsCountToExactlyTwoMillion() throws Exception {
        String name = "/m4j-ipc-" + System.nanoTime() % 1_000_000_000L;
        ByteBuffer shm = SharedMemory.create(name, 4096);
        try {
            ChildProcess.Running child = ChildProcess.jvm(Adder.class, "shm", name, String.valueOf(ADDS)).in(dir)
                    .start();
            add(shm, ADDS);
            ChildProcess.Result r = child.finish();
            assertEquals(0, r.exit, r.toString());
            assertEquals(2L * ADDS, Atomics.getLongVolatile(shm, LONG_COUNTER));
            assertEquals(2 * ADDS, Atomics.getIntVolatile(shm, INT_COUNTER));
        } finally {
            Mmap.unmap(shm);
            SharedMemory.unlink(name);
        }
    }

    @Test
    void aJvmAndACProgramCountToExactlyTwoMillion() throws Exception {
        ChildProcess.Running helper = startHelper(dir, "add", file.toString(), String.valueOf(ADDS));
        add(b, ADDS);
        finishHelper(helper);
        assertEquals(2L * ADDS, Atomics.getLongVolatile(b, LONG_COUNTER));
        assertEquals(2 * ADDS, Atomics.getIntVolatile(b, INT_COUNTER));
    }

    @Test
    void aWaitingJvmIsWokenByAnotherJvm() throws Exception {
        ChildProcess.Running child = ChildProcess.jvm(Waker.class, file.toString(), "300").in(dir).timeout(60)
                .start();
        long returned = awaitWord(b);
        ChildProcess.Result r = child.finish();
        assertEquals(0, r.exit, r.toString());
        checkWoken(r.out, returned);
    }

    @Test
    void aWaitingJvmIsWokenByACProgram() throws Exception {
        helper(); // here, not only in the waker thread: without a helper the test skips instead of waiting 60 s
        AtomicReference<String> out = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread waker = new Thread(() -> {
            try {
                Thread.sleep(300);
                out.set(finishHelper(startHelper(dir, "wake", file.toString(), String.valueOf(WORD))));
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        waker.start();
        long returned = awaitWord(b);
        waker.join(60_000);
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
        checkWoken(out.get(), returned);
    }

    @Test
    void aWaitingCProgramIsWokenByAJvm() throws Exception {
        ChildProcess.Running helper = startHelper(dir, "wait", file.toString(), String.valueOf(WORD));
        assertEquals("waiting", awaitLines(helper, 1)[0]);
        Thread.sleep(100);
        long start = System.nanoTime();
        Atomics.setIntVolatile(b, WORD, 1);
        int woken = Futex.wake(b, WORD, Integer.MAX_VALUE);
        String[] lines = awaitLines(helper, 2);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String said = lines.length > 1 ? lines[1] : "nothing";
        finishHelper(helper);
        // Woken in the kernel, or (if it had not gone to sleep yet) it saw the change.
        assertTrue(woken == 1 && said.equals("woken") || woken == 0 && said.equals("changed"),
                "woken=" + woken + ", the C program said " + said);
        assertTrue(tookMs < WAKE_BOUND_MS, "the C program took " + tookMs + " ms to notice");
    }

    /** Waits (at most 60 s) until the word is no longer 0; returns System.nanoTime after the wait. */
    private static long awaitWord(ByteBuffer b) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Atomics.getIntVolatile(b, WORD) == 0 && System.nanoTime() < deadline) {
            Futex.await(b, WORD, 0, 60, TimeUnit.SECONDS);
        }
        long returned = System.nanoTime();
        assertEquals(1, Atomics.getIntVolatile(b, WORD), "never woken");
        return returned;
    }

    /** The waker's line: {@code woken <n> at <nanoTime>}; CLOCK_MONOTONIC in both processes. */
    private static void checkWoken(String wakerSaid, long returned) {
        String[] words = wakerSaid.trim().split(" ");
        assertEquals("woken", words[0], wakerSaid);
        int woken = Integer.parseInt(words[1]);
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(returned - Long.parseLong(words[3]));
        System.out.println("[ipc] woken=" + woken + ", the waiter returned " + latencyMs + " ms after the wake");
        assertTrue(woken <= 1, wakerSaid);
        if (new File("/proc/self").exists()) {
            // Linux: System.nanoTime and the C program's clock are both CLOCK_MONOTONIC.
            assertTrue(latencyMs < WAKE_BOUND_MS, "woken after " + latencyMs + " ms");
        }
    }
}
