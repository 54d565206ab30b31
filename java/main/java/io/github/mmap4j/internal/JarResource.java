/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
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

    /**
     * An entry's bytes, read whole with the {@code ZipFile} closed before returning; null when the
     * jar has no such entry. The resources read this way (checksum records, the build identity, the
     * library, which its reader hashes whole anyway) are small; a stream that closed the jar when
     * closed was a class of its own for the first map to load (issue 27).
     */
    private static InputStream fromZip(File jar, String name) throws IOException {
        try (ZipFile zip = new ZipFile(jar)) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(entry.getSize() > 0
                        && entry.getSize() < Integer.MAX_VALUE - 8 ? (int) entry.getSize() : 8192);
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    bytes.write(chunk, 0, n);
                }
                return new ByteArrayInputStream(bytes.toByteArray());
            }
        }
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
