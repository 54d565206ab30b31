/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.example;

import io.github.mmap4j.Atomics;
import io.github.mmap4j.Futex;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A single-producer, single-consumer ring of fixed-size messages in shared memory:
 * one process calls send, another receive, both on a mapping of the same memory
 * (a SharedMemory object or a file) of at least SIZE bytes.
 */
public final class Ring {
    public static final int MESSAGE = 60;      // the longest message, in bytes
    private static final int SLOT = 64;        // a length and a message: one cache line
    private static final int SLOTS = 1024;     // a power of two
    private static final int TAIL = 0;         // int: messages sent, written by the producer only
    private static final int HEAD = 64;        // int: messages received, by the consumer only
    private static final int DATA = 128;
    public static final int SIZE = DATA + SLOTS * SLOT;

    private final ByteBuffer shm;

    public Ring(ByteBuffer shm) {
        this.shm = shm;
    }

    /** Copies a message into the ring; waits while the ring is full. */
    public void send(byte[] message) throws InterruptedException, IOException {
        if (message.length > MESSAGE) throw new IllegalArgumentException("longer than " + MESSAGE);
        int tail = Atomics.getIntVolatile(shm, TAIL);
        int head;
        while (tail - (head = Atomics.getIntVolatile(shm, HEAD)) == SLOTS) {
            Futex.await(shm, HEAD, head, 1, TimeUnit.SECONDS);   // full: until the consumer moves on
        }
        int at = DATA + (tail & (SLOTS - 1)) * SLOT;
        shm.putInt(at, message.length);
        for (int i = 0; i < message.length; i++) shm.put(at + 4 + i, message[i]);
        Atomics.setIntRelease(shm, TAIL, tail + 1);               // publish: the bytes above first
        Futex.wake(shm, TAIL, 1);
    }

    /** Copies the next message into {@code into} (MESSAGE bytes); waits while the ring is empty. */
    public int receive(byte[] into) throws InterruptedException, IOException {
        int head = Atomics.getIntVolatile(shm, HEAD);
        int tail;
        while ((tail = Atomics.getIntVolatile(shm, TAIL)) == head) {
            Futex.await(shm, TAIL, tail, 1, TimeUnit.SECONDS);   // empty: until the producer sends
        }
        int at = DATA + (head & (SLOTS - 1)) * SLOT;
        int length = shm.getInt(at);
        for (int i = 0; i < length; i++) into[i] = shm.get(at + 4 + i);
        Atomics.setIntRelease(shm, HEAD, head + 1);               // the slot is free again
        Futex.wake(shm, HEAD, 1);
        return length;
    }
}
