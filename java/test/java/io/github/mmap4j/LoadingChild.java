/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.NativeLibrary;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * First uses of mmap4j in a fresh JVM, for {@link LoadingTest}: each prints
 * what happened, one line per step, and the parent checks the lines.
 * {@code main(scenario, file)}: {@code file} is a readable file of at least one byte.
 */
final class LoadingChild {

    private LoadingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Paths.get(args[1]);
        switch (args[0]) {
            case "interrupted":
                // The first call of the JVM runs on a thread whose interrupt flag is set.
                Thread.currentThread().interrupt();
                step("first call", () -> "page size " + Mmap.pageSize());
                System.out.println("still interrupted: " + Thread.currentThread().isInterrupted());
                step("map", () -> mapFirstByte(file));
                System.out.println("loaded from " + NativeLibrary.loadedFrom());
                break;
            case "load":
                step("map", () -> mapFirstByte(file));
                System.out.println("loaded from " + NativeLibrary.loadedFrom());
                break;
            case "first-map":
                // No lambda of the child's own on the way: the lines between the markers are the map's.
                System.out.println("first map: start");
                ByteBuffer page = Mmap.map(file, 0, 1, MapOptions.of(MapMode.READ_ONLY));
                byte first = page.get(0);
                System.out.println("first map: done");
                System.out.println("first byte " + first);
                break;
            case "retry-tmpdir":
                // Started with -Dmmap4j.tmpdir naming a regular file: extraction fails until it is fixed.
                step("first call", () -> "page size " + Mmap.pageSize());
                step("second call", () -> mapFirstByte(file));
                System.setProperty("mmap4j.tmpdir", args[2]);
                step("after fixing", () -> "page size " + Mmap.pageSize());
                step("map", () -> mapFirstByte(file));
                System.out.println("loaded from " + NativeLibrary.loadedFrom());
                break;
            case "retry-library-path":
                // Started with -Dmmap4j.library.path naming no library: fails until the property goes.
                step("first call", () -> mapFirstByte(file));
                step("second call", () -> "page size " + Mmap.pageSize());
                System.clearProperty("mmap4j.library.path");
                step("after fixing", () -> mapFirstByte(file));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
        System.exit(0);
    }

    interface Step {
        String run() throws Exception;
    }

    private static void step(String name, Step step) {
        try {
            System.out.println(name + ": ok: " + step.run());
        } catch (Throwable e) {
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            System.out.println(name + ": " + e.getClass().getName() + ": "
                    + (newline < 0 ? message : message.substring(0, newline)));
        }
    }

    private static String mapFirstByte(Path file) throws Exception {
        ByteBuffer b = Mmap.map(file, 0, 1, MapOptions.of(MapMode.READ_ONLY));
        byte first = b.get(0);
        Mmap.unmap(b);
        return "mapped, first byte " + first + " of " + Files.size(file);
    }
}
