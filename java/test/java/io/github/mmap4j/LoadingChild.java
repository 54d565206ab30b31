/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.NativeLibrary;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
            case "preloaded":
                preloaded(file);
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

    /** The classes the reclaimer thread loads ahead ({@code FirstMapClasses}) after the one held back. */
    static final List<String> AHEAD = Arrays.asList("io.github.mmap4j.FileSource", "io.github.mmap4j.Mappings",
            "io.github.mmap4j.Pressure", "io.github.mmap4j.Mapping", "io.github.mmap4j.Guard",
            "io.github.mmap4j.Quarantine", "io.github.mmap4j.BufferAddress");
    /** The class at which the first map's thread waits until the last of {@link #AHEAD} was asked for. */
    private static final String HELD = "io.github.mmap4j.Mapper";

    /**
     * A first map in a class loader of its own that records which thread first asks for each of
     * mmap4j's classes. The mapping thread is held back when it comes to {@link #HELD} (after the
     * library is loaded) until some thread asked for the last class of {@link #AHEAD}, at most 20
     * seconds: so the lines printed say, whatever the scheduling, whether another thread loads the
     * map's later classes.
     */
    private static void preloaded(Path file) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Paths.get(entry).toUri().toURL());
        }
        Thread mapping = Thread.currentThread();
        RecordingLoader loader = new RecordingLoader(urls.toArray(new URL[0]), mapping);
        Class<?> mmap = Class.forName("io.github.mmap4j.Mmap", false, loader);
        Class<?> mode = Class.forName("io.github.mmap4j.MapMode", false, loader);
        Class<?> options = Class.forName("io.github.mmap4j.MapOptions", false, loader);
        Object readOnly = options.getMethod("of", mode).invoke(null, mode.getField("READ_ONLY").get(null));
        ByteBuffer page = (ByteBuffer) mmap.getMethod("map", Path.class, long.class, int.class, options)
                .invoke(null, file, 0L, 1, readOnly);
        System.out.println("first byte " + page.get(0));
        java.lang.reflect.Field early = Class.forName("io.github.mmap4j.Reclaimer", false, loader)
                .getDeclaredField("STARTS_AT_MAP");
        early.setAccessible(true);
        System.out.println("loads ahead: " + early.getBoolean(null));
        for (String name : AHEAD) {
            System.out.println("asked for " + name + " first: " + loader.firstAskedBy.get(name));
        }
    }

    /** Records the thread that first asks for each mmap4j class; holds the mapping thread at {@link #HELD}. */
    static final class RecordingLoader extends URLClassLoader {
        static {
            // Else the JVM holds the loader's lock while the mapping thread waits in loadClass.
            ClassLoader.registerAsParallelCapable();
        }

        final Map<String, String> firstAskedBy = new ConcurrentHashMap<>();
        private final Thread mapping;

        RecordingLoader(URL[] urls, Thread mapping) {
            // Parent: the JDK's own classes only, so every mmap4j class is this loader's.
            super(urls, ClassLoader.getSystemClassLoader().getParent());
            this.mapping = mapping;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.github.mmap4j.")) {
                firstAskedBy.putIfAbsent(name, Thread.currentThread().getName());
                if (name.equals(HELD) && Thread.currentThread() == mapping) {
                    String last = AHEAD.get(AHEAD.size() - 1);
                    for (int i = 0; i < 2000 && !firstAskedBy.containsKey(last); i++) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
            }
            return super.loadClass(name, resolve);
        }
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
