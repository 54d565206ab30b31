/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The loader's SHA-256 agrees with the JDK's on every padding case and on library-sized data. */
class Sha256Test {

    private static String jdk(byte[] data, int length) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(data, 0, length);
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    @Test
    void knownAnswers() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(new byte[0], 0));
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.hex(abc, 3));
    }

    @Test
    void agreesWithMessageDigestAcrossBlockBoundaries() throws Exception {
        Random random = new Random(42);
        byte[] data = new byte[200_000];
        random.nextBytes(data);
        for (int length : new int[] {1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 15_088, 31_800,
            200_000}) {
            assertEquals(jdk(data, length), Sha256.hex(data, length), "length " + length);
        }
    }
}
