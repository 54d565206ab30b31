/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import io.github.mmap4j.internal.LoaderClasses;

/**
 * The classes a JVM's first map needs after the native library is loaded, loaded ahead on the
 * reclaimer thread while the mapping thread loads the library (issue 27). Nearly all of a first map
 * is loading classes from the jar (about 0.2 ms each on JDK 8), and the mapping thread needs the
 * library before anything else; so the first map starts the reclaimer thread at its beginning, not
 * at its end (except on JDK 10 to 14: {@code Reclaimer.STARTS_AT_MAP}), and that thread, before its
 * loop, loads what the map goes on to need: the loader's later classes ({@link LoaderClasses}),
 * then the map's own. The mapping thread finds them loaded, or waits for the one being loaded: the
 * class loader loads each class once, whichever thread asks first. Loading neither links nor
 * initialises a class: every static initialiser still runs in the thread that first uses the
 * class, as before.
 *
 * <p>Only classes every map (of a file, cached copy of the library) loads anyway: nothing a map
 * defers to a range call, a close or a failure ({@code Errors}, {@code Mapping.State}), so
 * loading them ahead adds nothing to a JVM that maps.
 */
final class FirstMapClasses {

    /** Whether some reclaimer thread has loaded them (only the first one of the JVM does). */
    private static volatile boolean loaded;

    private FirstMapClasses() {
    }

    /**
     * Loads them, once per JVM: called by the reclaimer thread before its loop. A class that
     * cannot be loaded now ends it quietly: the map that needs the class loads it, and says why
     * if it fails.
     */
    static void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        try {
            LoaderClasses.load();
            mapClasses();
        } catch (LinkageError | RuntimeException e) {
            // Left to the map that needs it.
        }
    }

    /**
     * Loads the map's own classes, in the order a map needs them (each class literal loads its
     * class).
     *
     * @return the classes.
     */
    static Class<?>[] mapClasses() {
        return new Class<?>[] {Native.class, Mapper.class, FileSource.class, Mappings.class, Pressure.class,
            Mapping.class, Guard.class, Quarantine.class, BufferAddress.class};
    }
}
