/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import org.scijava.nativelib.JniExtractor;
import org.scijava.nativelib.NativeLibraryUtil;

/**
 * The classes {@link NativeLibrary} goes on to need once it has begun, in the order it needs them:
 * native-lib-loader's platform check, the C library's, the extraction directory's and the cached
 * copy's. See {@code FirstMapClasses}, which loads them on another thread while the first map's
 * thread loads the ones before.
 */
public final class LoaderClasses {

    private LoaderClasses() {
    }

    /**
     * Loads (each class literal loads its class, and neither links nor initialises it) the classes
     * a load of the native library needs after {@link NativeLibrary} itself, those of a copy
     * already extracted and checked: extracting one needs more, which its JVM loads itself.
     *
     * @return the classes, so that nothing here is left for the compiler to drop.
     */
    public static Class<?>[] load() {
        Class<?> util = NativeLibraryUtil.class;
        Class<?> processor;
        try {
            // A private enum: named after its outer class, whatever package the jar relocated it to.
            processor = Class.forName(util.getName() + "$Processor", false, util.getClassLoader());
        } catch (ClassNotFoundException e) {
            processor = util; // another native-lib-loader: its map loads what it needs
        }
        return new Class<?>[] {util, NativeLibraryUtil.Architecture.class, processor, JniExtractor.class,
            Libc.class, ExtractionDirectory.class, VerifiedCopy.class, FileStamp.class};
    }
}
