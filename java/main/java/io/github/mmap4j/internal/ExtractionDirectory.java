/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the library is extracted, made so that another local user cannot turn
 * it against the user loading it.
 *
 * <p>The shared location, {@code ${java.io.tmpdir}/mmap4j-<user>}, sits in a
 * directory every user can write. Another user can put a symbolic link or a
 * directory of their own under that name before us, or swap one in and out. So
 * the directory is made with mode 0700 in one {@code mkdir} (which never
 * follows a link), nothing is ever {@code chmod}ed or {@code chown}ed (those
 * follow links), and what is found there is checked without following links:
 * a directory, not a link, owned by the current user, mode exactly 0700. Inside
 * a directory like that nobody else can add, replace or change a file, in a
 * sticky {@code /tmp} nobody else can rename or remove the directory either.
 * Anything else is refused, and the caller falls back to a fresh private
 * directory of a random name, deleted at exit.
 */
final class ExtractionDirectory {

    /** The permission bits of {@code st_mode}, and those of rwx------ and of ----w--w-. */
    private static final int PERMISSION_BITS = 0777;
    private static final int OWNER_ONLY_MODE = 0700;
    private static final int WRITABLE_BY_OTHERS = 0022;

    private ExtractionDirectory() {
    }

    /** {@code ${java.io.tmpdir}/mmap4j-<user>}: shared by this user's JVMs, so one extraction serves them all. */
    static Path shared() {
        // By hand, not replaceAll: a regular expression bootstraps lambdas on JDK 9+ (milliseconds).
        char[] user = System.getProperty("user.name", "user").toCharArray();
        for (int i = 0; i < user.length; i++) {
            char c = user[i];
            boolean plain = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.'
                    || c == '_' || c == '-';
            user[i] = plain ? c : '_';
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "mmap4j-" + new String(user)).toAbsolutePath();
    }

    /**
     * Creates {@code directory} with mode 0700, or finds it there already, and checks it.
     *
     * @param directory     the directory.
     * @param createParents whether to create missing parents (a directory the user named, not the temp dir).
     * @return the directory's owner (uid), which {@link #checkFile} compares its files' with.
     * @throws IOException when it cannot be made, or is not a directory of this user's with mode 0700;
     *                     the message says which.
     */
    static int prepare(Path directory, boolean createParents) throws IOException {
        // Usually there from an earlier JVM: checked first, so that a fresh JVM pays neither for its
        // parent's stat nor for a failing mkdir and its exception, nor for a stat of its own before the
        // check's (Files.exists: a millisecond of a first map on JDK 8). Only the check decides; mkdir
        // only creates.
        try {
            return check(directory);
        } catch (NoSuchFileException e) {
            // not made yet: below
        }
        Path parent = directory.getParent();
        if (createParents && parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        try {
            // mkdir(2) with the mode: no window where it exists with another mode, and a name that
            // exists in any form (a link included) fails here instead of being followed.
            Files.createDirectory(directory, ownerOnly());
        } catch (FileAlreadyExistsException e) {
            // Made in between, by another JVM of ours or by someone else: the checks below tell.
        }
        return check(directory);
    }

    /**
     * A new directory of a random name next to the shared one, checked like it,
     * and deleted at exit (with the library in it: register that afterwards).
     *
     * @return the directory.
     * @throws IOException when it cannot be made with mode 0700.
     */
    static Path fresh() throws IOException {
        Path directory = Files.createTempDirectory(Paths.get(System.getProperty("java.io.tmpdir")),
                shared().getFileName() + "-", ownerOnly()).toAbsolutePath();
        directory.toFile().deleteOnExit();
        check(directory);
        return directory;
    }

    /**
     * Mode 0700 for a directory being made (only then: a directory found there needs no attribute,
     * and a first map that finds it loads no {@code PosixFilePermission}). A {@code HashSet}, not an
     * {@code EnumSet}: a JDK enum's first {@code EnumSet} reads its values reflectively, which on JDK
     * 18+ spins method handle classes (milliseconds of the first map, issue 27).
     */
    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))));
    }

    /**
     * Checks, without following links, that {@code directory} is a directory of
     * this user's with mode exactly 0700; returns its owner's uid.
     */
    private static int check(Path directory) throws IOException {
        Map<String, Object> attributes = unixAttributes(directory, "isDirectory,isSymbolicLink,owner,mode,uid");
        if ((Boolean) attributes.get("isSymbolicLink")) {
            throw new IOException(directory + " is a symbolic link; refusing to follow it");
        }
        if (!(Boolean) attributes.get("isDirectory")) {
            throw new IOException(directory + " exists and is not a directory");
        }
        String me = System.getProperty("user.name");
        String owner = ((UserPrincipal) attributes.get("owner")).getName();
        if (me == null || !me.equals(owner)) {
            throw new IOException(directory + " belongs to " + owner + ", not " + me
                    + "; refusing to load code from a directory another user controls");
        }
        int mode = (Integer) attributes.get("mode");
        if ((mode & PERMISSION_BITS) != OWNER_ONLY_MODE) {
            throw new IOException(directory + " has permissions " + permissions(mode) + ", expected rwx------ (left "
                    + "as found: mmap4j never changes a mode, which a link could carry elsewhere); fix with chmod 700 "
                    + "or choose another -D" + NativeLibrary.TMPDIR_PROPERTY);
        }
        return (Integer) attributes.get("uid");
    }

    /**
     * Checks, without following links, that {@code file} is a regular file with
     * the same owner as the directory it is in, and that only that owner may
     * write it: what {@code System.load} may be given.
     *
     * @param file           a file in a directory {@link #prepare} checked.
     * @param directoryOwner the directory's owner, as {@link #prepare} returned it.
     * @return the file's stamp, from the same {@code lstat} as the checks.
     * @throws IOException when it is anything else.
     */
    static FileStamp checkFile(Path file, int directoryOwner) throws IOException {
        FileStamp stamp = FileStamp.of(file);
        checkFile(file, stamp, directoryOwner);
        return stamp;
    }

    /** {@link #checkFile(Path, int)} on what an {@code lstat} of the file said ({@link FileStamp#of}). */
    static void checkFile(Path file, FileStamp stamp, int directoryOwner) throws IOException {
        if (!stamp.regular) {
            throw new IOException(file + " is not a regular file" + (stamp.link ? " (a link)" : ""));
        }
        // Numeric ids: the name check of the directory went through user.name; this one is exact.
        if (stamp.uid != directoryOwner) {
            throw new IOException(file + " belongs to uid " + stamp.uid + ", its directory to uid " + directoryOwner);
        }
        if ((stamp.mode & WRITABLE_BY_OTHERS) != 0) {
            throw new IOException(file + " can be written by others (" + permissions(stamp.mode) + ")");
        }
    }

    /**
     * Attributes of the {@code unix} view, read by one {@code lstat}: the mode as bits, not
     * {@code PosixFileAttributes.permissions()}, which on JDK 25 (not 21) builds an {@code EnumSet}, whose
     * first use in a JVM reads the enum's values reflectively and spins method handles for it
     * (2 to 3 ms of a first map on JDK 25, issue 27).
     */
    private static Map<String, Object> unixAttributes(Path path, String names) throws IOException {
        return Files.readAttributes(path, "unix:" + names, LinkOption.NOFOLLOW_LINKS);
    }

    /** {@code rwxr-x---} and so on, for messages. */
    private static String permissions(int mode) {
        Set<PosixFilePermission> permissions = new HashSet<>();
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
        for (int i = 0; i < all.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                permissions.add(all[i]);
            }
        }
        return PosixFilePermissions.toString(permissions);
    }
}
