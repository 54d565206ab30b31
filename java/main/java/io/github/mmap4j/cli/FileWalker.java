/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Walks the paths given on the command line in order, directories recursively
 * with their entries sorted by name, so the output is the same on every run and
 * streams as it goes. Paths given are followed when they are symbolic links;
 * links inside directories are skipped unless asked to follow them (then
 * directory loops are reported, not walked). Memory: one directory's names per
 * level of depth.
 */
final class FileWalker {

    /** What the walk finds. */
    interface Visitor {
        /** A regular file, with its attributes as the walk read them. */
        void file(Path path, BasicFileAttributes attrs);

        /** A path that cannot be walked or is not a regular file. */
        void failed(Path path, String reason);
    }

    private final boolean followSymlinks;
    private final Visitor visitor;
    private final Deque<Object> ancestors = new ArrayDeque<>();

    FileWalker(boolean followSymlinks, Visitor visitor) {
        this.followSymlinks = followSymlinks;
        this.visitor = visitor;
    }

    void walk(Path start) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(start, BasicFileAttributes.class);
        } catch (IOException e) {
            visitor.failed(start, reason(e));
            return;
        }
        visit(start, attrs);
    }

    private void visit(Path path, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
            visitor.file(path, attrs);
        } else if (attrs.isDirectory()) {
            directory(path, attrs.fileKey());
        } else if (!attrs.isSymbolicLink()) {
            visitor.failed(path, "skipped: not a regular file or directory (" + kind(attrs) + ")");
        }
    }

    private void directory(Path dir, Object key) {
        if (key != null && ancestors.contains(key)) {
            visitor.failed(dir, "skipped: a symbolic link loop leads back to a directory above it");
            return;
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                entries.add(entry);
            }
        } catch (IOException e) {
            visitor.failed(dir, "cannot list directory: " + reason(e));
            return;
        }
        entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        ancestors.push(key == null ? dir : key);
        try {
            for (Path entry : entries) {
                BasicFileAttributes attrs;
                try {
                    attrs = followSymlinks ? Files.readAttributes(entry, BasicFileAttributes.class)
                            : Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    visitor.failed(entry, reason(e));
                    continue;
                }
                visit(entry, attrs);
            }
        } finally {
            ancestors.pop();
        }
    }

    private static String kind(BasicFileAttributes attrs) {
        return attrs.isOther() ? "a device, FIFO or socket" : "unknown type";
    }

    /** A short reason for a file-system exception, with the errno name where the JDK hides it. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory (ENOENT)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied (EACCES)";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory (ENOTDIR)";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
