/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the packaged jar with its class files stored rather than deflated; every other entry
 * (the native libraries, their records) keeps its compression, and every entry its name, order and
 * time. A build step, run by the pom after the shade (a single-file program: {@code java
 * java/build/StoreClasses.java <jar>}); not part of the jar.
 *
 * <p>Why: a fresh JVM reads every class of its first map through the class loader's inflater,
 * running interpreted; stored, the first map's 34 classes load 0.8 to 2.2 ms sooner (paired fresh
 * JVMs on JDK 8 to 25, issue 27's twelfth pass, docs/loading.md). The jar grows from about 250 KB
 * to 440.
 */
public final class StoreClasses {

    private StoreClasses() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java java/build/StoreClasses.java <jar>");
            System.exit(2);
        }
        Path jar = Paths.get(args[0]);
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".stored.tmp");
        int stored = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
             OutputStream file = Files.newOutputStream(rewritten);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry from = entries.nextElement();
                byte[] bytes;
                try (InputStream data = in.getInputStream(from)) {
                    bytes = data.readAllBytes();
                }
                ZipEntry to = new ZipEntry(from.getName());
                to.setTime(from.getTime());
                boolean classFile = from.getName().endsWith(".class");
                if (classFile || from.getMethod() == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    to.setMethod(ZipEntry.STORED);
                    to.setSize(bytes.length);
                    to.setCompressedSize(bytes.length);
                    to.setCrc(crc.getValue());
                    stored += classFile ? 1 : 0;
                } else {
                    to.setMethod(ZipEntry.DEFLATED);
                }
                out.putNextEntry(to);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(rewritten);
            throw e;
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("StoreClasses: " + stored + " class files stored in " + jar);
    }
}
