/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * What one {@code lstat} says about a file that tells whether its bytes may have changed: device,
 * inode, size, modification and status-change time. Any write, truncation, {@code touch}, rename
 * onto the name or delete-and-recreate changes at least one of them: the status-change time
 * ({@code ctime}) is set by the kernel to its clock on every change and cannot be set by a
 * process (only by changing the system clock). Times are kept in microseconds, what JDK 8 reports
 * (later JDKs report nanoseconds), so that JVMs of different versions read the same stamp.
 *
 * <p>A stamp read from the file ({@link #of}) also carries what the same {@code lstat} says about
 * who may change it (type, owner, mode), which {@link ExtractionDirectory#checkFile} checks: one
 * {@code lstat} for both, so the checks and the stamp describe the same file.
 */
final class FileStamp {

    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime,uid,mode,isRegularFile,"
            + "isSymbolicLink";

    final long device;
    final long inode;
    final long size;
    /** Modification time, microseconds since the epoch. */
    final long modified;
    /** Status-change time, microseconds since the epoch. */
    final long changed;
    /** The owner's uid, the mode bits, whether a regular file, whether a link: -1, -1, false, false when parsed. */
    final int uid;
    final int mode;
    final boolean regular;
    final boolean link;

    FileStamp(long device, long inode, long size, long modified, long changed) {
        this(device, inode, size, modified, changed, -1, -1, false, false);
    }

    private FileStamp(long device, long inode, long size, long modified, long changed, int uid, int mode,
                      boolean regular, boolean link) {
        this.device = device;
        this.inode = inode;
        this.size = size;
        this.modified = modified;
        this.changed = changed;
        this.uid = uid;
        this.mode = mode;
        this.regular = regular;
        this.link = link;
    }

    /**
     * The stamp of {@code file}, without following a link.
     *
     * @throws IOException when it cannot be read, or the platform has no {@code unix} attribute view
     */
    static FileStamp of(Path file) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new IOException("no unix file attributes for " + file + ": " + e.getMessage(), e);
        }
        return new FileStamp(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
                ((Number) a.get("size")).longValue(), micros(a.get("lastModifiedTime")), micros(a.get("ctime")),
                (Integer) a.get("uid"), (Integer) a.get("mode"), (Boolean) a.get("isRegularFile"),
                (Boolean) a.get("isSymbolicLink"));
    }

    /**
     * Through {@code toInstant}, not {@code to(TimeUnit.MICROSECONDS)}: on JDK 9+ that initialises
     * {@code ChronoUnit} and {@code Duration}, a third of this check's cost in a fresh JVM.
     */
    private static long micros(Object time) {
        Instant instant = ((FileTime) time).toInstant();
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    /** The five numbers, space-separated, as {@link #parse} reads them. */
    String format() {
        return device + " " + inode + " " + size + " " + modified + " " + changed;
    }

    /**
     * A stamp from five fields of {@code fields} starting at {@code from}.
     *
     * @throws NumberFormatException when one is not a number
     */
    static FileStamp parse(String[] fields, int from) {
        return new FileStamp(Long.parseLong(fields[from]), Long.parseLong(fields[from + 1]),
                Long.parseLong(fields[from + 2]), Long.parseLong(fields[from + 3]), Long.parseLong(fields[from + 4]));
    }

    /** Whether both stamps are of the same file with the same times and size (type, owner and mode aside). */
    boolean sameAs(FileStamp other) {
        return device == other.device && inode == other.inode && size == other.size && modified == other.modified
                && changed == other.changed;
    }
}
