/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Opens a resource of the jar (or class directory) these classes were loaded from: the native
 * library, its checksum record, the build identity.
 *
 * <p>Read from that file directly, not through {@code Class.getResourceAsStream}: on JDK 9+ the
 * class loader asks the boot loader first (which opens the runtime image's reader) and then
 * opens a {@code jar:} URL connection, about 5 ms of a fresh JVM's first map; a {@code ZipFile}
 * of the same jar shares the central directory the class loader already read. It also reads the
 * copy of the jar these classes came from, not whichever jar comes first on the class path. Where
 * the location is not a local file (a jar inside a jar, a custom class loader, a security manager
 * that hides it) or lacks the resource, the class's own lookup is used, as before.
 */
final class JarResource {

    private JarResource() {
    }

    /**
     * The resource, or null when neither this code's location nor the class's lookup has it.
     *
     * @param name a path inside the jar without a leading {@code /}, e.g. {@code natives/linux_64/libmmap4j.so}.
     * @return a stream to close, or null.
     */
    static InputStream open(String name) {
        File location = location();
        if (location != null) {
            try {
                if (location.isDirectory()) {
                    File file = new File(location, name);
                    if (file.isFile()) {
                        return new FileInputStream(file);
                    }
                } else {
                    InputStream in = fromZip(location, name);
                    if (in != null) {
                        return in;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The class's own lookup below.
            }
        }
        // Class.getResourceAsStream, not the class loader's: in the named module (JDK 9+, module path)
        // natives/<platform>/ is a package of the module, whose resources only its own classes see.
        return JarResource.class.getResourceAsStream("/" + name);
    }

    /** An entry's stream that closes its {@code ZipFile} when closed; null when the jar has no such entry. */
    private static InputStream fromZip(File jar, String name) throws IOException {
        final ZipFile zip = new ZipFile(jar);
        try {
            ZipEntry entry = zip.getEntry(name);
            if (entry != null) {
                return new FilterInputStream(zip.getInputStream(entry)) {
                    @Override
                    public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            zip.close();
                        }
                    }
                };
            }
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
        zip.close();
        return null;
    }

    /** The local jar or directory these classes were loaded from, or null. */
    private static File location() {
        try {
            CodeSource source = JarResource.class.getProtectionDomain().getCodeSource();
            URL url = source == null ? null : source.getLocation();
            return url != null && "file".equals(url.getProtocol()) ? new File(url.toURI()) : null;
        } catch (Exception e) { // SecurityException, a URL that is no URI: the class's lookup
            return null;
        }
    }
}
