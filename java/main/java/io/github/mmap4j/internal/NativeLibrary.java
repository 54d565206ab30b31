/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.scijava.nativelib.NativeLibraryUtil;

/**
 * The one place that loads {@code libmmap4j}: once per class loader, at the
 * first call that needs it ({@code io.github.mmap4j.Platform.ensureLoaded()}); a failed load is
 * tried again by the next call.
 *
 * <p>Order: the file named by {@value #LIBRARY_PATH_PROPERTY} if set; otherwise
 * the copy inside the jar that native-lib-loader picks for this platform
 * ({@code natives/linux_64/libmmap4j.so}, ...; {@code natives/linux_64_musl/} on musl, see
 * {@link Libc}), extracted to a directory only
 * the current user can write ({@value #TMPDIR_PROPERTY}, else
 * {@code ${java.io.tmpdir}/mmap4j-<user>}; see {@link ExtractionDirectory}),
 * named by the SHA-256 the jar records for it at build time and checked against the
 * size and CRC-32 recorded with it, and
 * reused by later JVMs when it still matches (checked again only until a JVM
 * could record it unchanged, see {@link VerifiedCopy}). Writes go to a private temporary
 * file renamed into place, so JVMs starting together never see a half-written
 * library. When the shared directory is unusable or hostile (another user's, a
 * link, not mode 0700), the library goes to a fresh private directory deleted
 * at exit instead, said only in a FINE log record of {@code io.github.mmap4j}.
 *
 * <p>Public because the engine ({@code io.github.mmap4j}, where the natives are package-private)
 * and the tool call it from other packages. Nothing here touches memory: it loads the library,
 * says where from and which build, and passes on the facts of its natives here that touch no memory
 * (the platform it was built for, {@code posix_fadvise}, {@code isatty}, {@code lseek(SEEK_DATA)}),
 * bound by the library's {@code JNI_OnLoad} next to {@code io.github.mmap4j.Native}'s (the
 * compiled-in build identity covers both; a class of their own, {@code Host}, until issue 27's tenth
 * pass: one class more for every first map).
 */
public final class NativeLibrary {

    /** System property naming a library file to load instead of the jar's copy. */
    static final String LIBRARY_PATH_PROPERTY = "mmap4j.library.path";
    /** System property naming the directory to extract the jar's copy into. */
    static final String TMPDIR_PROPERTY = "mmap4j.tmpdir";

    private static final String NAME = "mmap4j";
    private static final List<NativeLibraryUtil.Architecture> SUPPORTED = Arrays.asList(
            NativeLibraryUtil.Architecture.LINUX_64, NativeLibraryUtil.Architecture.LINUX_ARM64,
            NativeLibraryUtil.Architecture.OSX_64, NativeLibraryUtil.Architecture.OSX_ARM64);
    private static final String SUPPORTED_TEXT =
            "linux_64, linux_arm64, linux_64_musl, linux_arm64_musl, osx_64 and osx_arm64";
    private static final String OVERRIDES = "-D" + LIBRARY_PATH_PROPERTY + "=/path/to/libmmap4j.so (a library you "
            + "built) or -D" + TMPDIR_PROPERTY + "=/a/directory/mounted/exec (where to extract)";

    /** The build identity of these classes: {@code <version> <interface>}, written by the native build. */
    private static final String BUILD_RESOURCE = "io/github/mmap4j/internal/native-build.txt";

    private static String loadedFrom;
    /** {@link #expectedBuild}'s answer (null when unknown), once {@code buildRead}. */
    private static String[] expectedBuild;
    private static boolean buildRead;
    /** True while this class loads the library (see {@link #load}). */
    private static boolean loading;
    /** The build identity of the library being loaded, as {@link #checkBuild} received it. */
    private static String loadedBuild;
    /**
     * Libraries named by {@value #LIBRARY_PATH_PROPERTY} that {@code System.load} refused as another
     * build's, with the reason: never loaded again. A build older than the identity check may have
     * bound some of {@code Native}'s (or this class's) methods to its code before it failed, and
     * the JDK unloads it; loading it again can return without error, leaving those methods pointing
     * at unmapped code.
     * Only a successful load of the right library (which binds every method) makes them safe.
     */
    private static final Map<String, String> refused = new HashMap<>();
    /** Descriptors loading may hold at once, with room to spare: see {@link #checkDescriptors()}. */
    private static final int DESCRIPTORS_NEEDED = 16;
    /** How the message of a load refused for want of descriptors starts. */
    public static final String NO_DESCRIPTORS = "mmap4j: too few file descriptors free to load libmmap4j";

    private NativeLibrary() {
    }

    /**
     * Loads the library unless a call did already: a failure throws a fresh
     * {@link UnsatisfiedLinkError} that says why, and leaves nothing behind that
     * stops the next call from trying again.
     *
     * <p>Runs with the thread's interrupt flag cleared, and sets it again after:
     * on JDK 8, file channels (which {@code Files.newOutputStream} and
     * {@code Files.readAllBytes} use) refuse to run on an interrupted thread
     * ({@code ClosedByInterruptException}), and a caller that was interrupted
     * must still find the flag set.
     */
    public static synchronized void load() {
        // loading: the library's JNI_OnLoad initialises Native (FindClass), whose static
        // initialiser comes back here on this thread while System.load is still running. Returning
        // at once leaves the outcome to the outer call: were the inner call to load, System.load
        // would report success for the library being loaded, and a library refused afterwards
        // (RegisterNatives failed, the JDK unloaded it) would count as loaded.
        if (loadedFrom != null || loading) {
            return;
        }
        checkDescriptors();
        boolean interrupted = Thread.interrupted();
        loading = true;
        try {
            loadNow();
        } finally {
            loading = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Refuses to start loading unless a few descriptors are free. Loading opens the jar, the
     * extraction directory's lock, the copy, {@code /proc} files and {@code dlopen}'s, and some
     * JDK code on that way fails for good when it cannot open a file (a failed static
     * initialiser: {@code java.security.Security} behind {@code SecureRandom}, {@code LogManager}),
     * leaving the JVM without it for its life. Checked only until the library is loaded.
     *
     * @throws UnsatisfiedLinkError whose message starts with {@link #NO_DESCRIPTORS}; the next call tries again.
     */
    private static void checkDescriptors() {
        FileInputStream[] probes = new FileInputStream[DESCRIPTORS_NEEDED];
        try {
            for (int i = 0; i < probes.length; i++) {
                probes[i] = new FileInputStream("/dev/null");
            }
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Too many open files")) {
                UnsatisfiedLinkError error = new UnsatisfiedLinkError(NO_DESCRIPTORS
                        + (message.contains("in system") ? " in the system (ENFILE)" : " (EMFILE)"));
                error.initCause(e);
                throw error;
            }
            // No /dev/null: not a POSIX system, loading will say so.
        } finally {
            for (FileInputStream probe : probes) {
                if (probe != null) {
                    try {
                        probe.close();
                    } catch (IOException e) {
                        // /dev/null: nothing to flush
                    }
                }
            }
        }
    }

    private static void loadNow() {
        String explicit = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            File file = new File(explicit).getAbsoluteFile();
            String before = refused.get(file.getPath());
            if (before != null) {
                throw failure(before, null);
            }
            try {
                System.load(file.getPath());
            } catch (LinkageError e) {
                String hint = otherBuild(e)
                        ? "point -D" + LIBRARY_PATH_PROPERTY + " at the libmmap4j of the build these classes come "
                                + "from (the same version and sources: target/classes/natives/<platform>/ of that "
                                + "build), or remove the property to use the jar's copy"
                        : "point it at a libmmap4j built for " + describeHost() + ", or remove the "
                                + "property to use the jar's copy";
                String message = "could not load " + file + " named by -D" + LIBRARY_PATH_PROPERTY + ": "
                        + describe(e) + "\n  hint: " + hint;
                if (otherBuild(e)) {
                    refused.put(file.getPath(), message);
                }
                throw failure(message, e);
            }
            loadedFrom = file.getPath();
            return;
        }
        NativeLibraryUtil.Architecture arch = NativeLibraryUtil.getArchitecture();
        if (!SUPPORTED.contains(arch)) {
            throw failure("no native library for this platform (" + describeHost()
                    + "); the jar carries " + SUPPORTED_TEXT + "\n  hint: build libmmap4j for it (see README, "
                    + "'Build from source') and pass " + OVERRIDES, null);
        }
        // The folder is native-lib-loader's choice; the file's name the JVM's own (libmmap4j.so,
        // libmmap4j.dylib), which on the four platforms is what getPlatformLibraryName says, without
        // the class its switch on the architecture is compiled to (one class less for a first map).
        String resource = Libc.folder(NativeLibraryUtil.getPlatformLibraryPath(NativeLibraryUtil.DEFAULT_SEARCH_PATH))
                + System.mapLibraryName(NAME);
        String configured = System.getProperty(TMPDIR_PROPERTY);
        boolean shared = configured == null || configured.isEmpty();
        Path directory = shared ? ExtractionDirectory.shared() : Paths.get(configured).toAbsolutePath();
        Path library;
        try {
            int owner = ExtractionDirectory.prepare(directory, !shared);
            String[] recorded = readRecord(resource, true);
            Path ready = readyCopy(recorded, directory, owner);
            if (ready != null) {
                // Recorded and marked used within the hour: no lock, nothing to write or tidy (OldCopies).
                library = ready;
                loadExtracted(resource, library);
            } else if (!Files.isRegularFile(copyIn(directory, recorded[0]), LinkOption.NOFOLLOW_LINKS)) {
                // No copy yet: extracted and loaded without the lock (whose first FileChannel costs a
                // fresh JVM 2 to 3 ms). No cleaner takes a copy written within the day, nor a temporary
                // file written within the hour; the next JVM, which checks this copy once, tidies.
                library = extract(resource, recorded, directory, owner);
                loadExtracted(resource, library);
            } else {
                // Under the directory's shared lock: no other JVM removes this copy before it is loaded.
                FileChannel lock = OldCopies.lockShared(directory);
                try {
                    library = extract(resource, recorded, directory, owner);
                    loadExtracted(resource, library);
                } finally {
                    OldCopies.release(lock);
                }
                OldCopies.remove(directory, library);
            }
        } catch (IOException e) {
            if (!shared) {
                throw failure("could not extract " + resource + " into " + directory + ": " + e.getMessage()
                        + "\n  hint: " + OVERRIDES, e);
            }
            // The shared directory is missing, someone else's, a link, or not 0700: a private one
            // instead, silently (a log only where FINE is asked for), so that loading never depends
            // on what another user put in the temp dir.
            Path fallback = null;
            try {
                fallback = ExtractionDirectory.fresh();
                int owner = ExtractionDirectory.prepare(fallback, false); // checked by fresh(): its owner
                library = extract(resource, readRecord(resource, false), fallback, owner);
                library.toFile().deleteOnExit(); // after the directory's registration: deleted first
            } catch (IOException again) {
                again.addSuppressed(e);
                throw failure("could not extract " + resource + " into " + directory + " (" + e.getMessage()
                        + ") nor into a private directory " + (fallback != null ? fallback + " " : "") + "("
                        + again.getMessage() + ")\n  hint: " + OVERRIDES, again);
            }
            Logger.getLogger("io.github.mmap4j").log(Level.FINE, "mmap4j: extracted to " + fallback
                    + " instead of " + directory + ": " + e.getMessage());
            loadExtracted(resource, library);
        }
        loadedFrom = library.toString();
    }

    /** {@code System.load} of an extracted copy, its failure explained. */
    private static void loadExtracted(String resource, Path library) {
        try {
            System.load(library.toString());
        } catch (LinkageError e) {
            if (otherBuild(e)) {
                throw failure("the jar's " + resource + " (extracted to " + library + ") is not of the build of "
                        + "these classes: " + describe(e) + "\n  hint: the jar was put together from two builds; "
                        + "build it again with ./mvnw package", e);
            }
            Path directory = library.getParent();
            String noexec = noexecMount(directory);
            String hint = noexec != null
                    ? directory + " is on a file system mounted noexec (" + noexec + "), where no library can be "
                            + "loaded from; pass " + OVERRIDES
                    : "if " + directory + " is on a file system mounted noexec (common for /tmp), pass " + OVERRIDES;
            throw failure("could not load " + resource + " extracted to " + library + " (platform " + describeHost()
                    + "): " + e.getMessage() + "\n  hint: " + hint, e);
        }
    }

    /**
     * Called by the library's {@code JNI_OnLoad} before it binds anything, with the library's build
     * identity (version, and the hash of the JNI header it was compiled against): throws
     * {@link BuildMismatch} when these classes were built with another header, which
     * {@code System.load} then throws. Classes built without the native build (no
     * {@code native-build.txt}) check nothing.
     */
    static void checkBuild(String libraryVersion, String libraryInterface) {
        String library = libraryVersion + " (native interface " + libraryInterface + ")";
        String[] expected = expectedBuild();
        if (expected != null && !expected[1].equals(libraryInterface)) {
            throw BuildMismatch.of("the library is mmap4j " + library + ", these classes are mmap4j "
                    + expected[0] + " (native interface " + expected[1] + ")");
        }
        loadedBuild = library;
    }

    /** {@code [version, interface]} of the build these classes come from, or null when unknown. */
    private static synchronized String[] expectedBuild() {
        if (!buildRead) {
            readBuild(resources(BUILD_RESOURCE)[0]);
        }
        return expectedBuild;
    }

    /** Keeps the build identity {@link #expectedBuild} returns, from the bytes of {@value #BUILD_RESOURCE}. */
    private static void readBuild(byte[] text) {
        String[] fields = text == null ? null : fields(text);
        expectedBuild = fields != null && fields.length == 2 ? fields : null;
        buildRead = true;
    }

    /** A library of another build: a refused identity, or (a build older than the check) a native
     * the classes do not declare, which {@code RegisterNatives} reports as {@link NoSuchMethodError}. */
    private static boolean otherBuild(LinkageError e) {
        return e instanceof BuildMismatch || e instanceof NoSuchMethodError;
    }

    private static String describe(LinkageError e) {
        if (e instanceof NoSuchMethodError) {
            return "it is of another build of mmap4j, older than these classes or newer (it binds a native these "
                    + "classes do not declare: " + e.getMessage() + "); these classes are mmap4j "
                    + versionOfClasses();
        }
        return e.getMessage();
    }

    private static String versionOfClasses() {
        String[] expected = expectedBuild();
        return expected == null ? "(build unknown)" : expected[0] + " (native interface " + expected[1] + ")";
    }

    /**
     * The loaded library's build identity: its version and the hash of the JNI interface it was
     * built for; the loader refuses a library whose interface differs from these classes'.
     *
     * @return e.g. {@code 0.1.0 (native interface 3f2a9c0d1e5b7a68)}; null before a load succeeded.
     */
    public static synchronized String loadedBuild() {
        return loadedBuild;
    }

    /**
     * {@link #checkBuild}'s refusal: a library of another build. Made by {@link #of}, typed as its
     * superclass where it is thrown: a {@code throw new BuildMismatch} would have the verifier load
     * this class with {@code NativeLibrary}, on every first map (issue 27).
     */
    static final class BuildMismatch extends UnsatisfiedLinkError {
        private static final long serialVersionUID = 1L;

        private BuildMismatch(String message) {
            super(message);
        }

        static UnsatisfiedLinkError of(String message) {
            return new BuildMismatch(message);
        }
    }

    /**
     * Where the native library was loaded from.
     *
     * @return the absolute path of the loaded file; null before a load succeeded.
     */
    public static synchronized String loadedFrom() {
        return loadedFrom;
    }

    /**
     * The platform the loaded library was built for; loads it first.
     *
     * @return its folder in the jar ({@code natives/<name>/}): {@code linux_64}, {@code linux_arm64},
     *     {@code osx_64}, {@code osx_arm64}, with {@code _musl} after a musl build's.
     * @throws UnsatisfiedLinkError when the library cannot be loaded.
     */
    public static String platform() {
        load();
        return builtFor();
    }

    /**
     * Whether the loaded library has {@code posix_fadvise} (not on macOS); loads it first.
     *
     * @return {@code true} on Linux.
     * @throws UnsatisfiedLinkError when the library cannot be loaded.
     */
    public static boolean hasFadvise() {
        load();
        return fadvisePresent();
    }

    /**
     * Whether a descriptor is a terminal ({@code isatty(3)}); loads the library first.
     *
     * @param fd a descriptor, e.g. 2 for standard error.
     * @return {@code true} for a terminal.
     * @throws UnsatisfiedLinkError when the library cannot be loaded.
     */
    public static boolean isTerminal(int fd) {
        load();
        return isatty(fd);
    }

    /**
     * Where a file's data lies ({@code lseek(2)} {@code SEEK_DATA} and {@code SEEK_HOLE}), for a
     * tool that must not read its holes; loads the library first. Closed by {@link #close()}.
     */
    public static final class DataMap implements java.io.Closeable {
        private final int fd;

        private DataMap(int fd) {
            this.fd = fd;
        }

        /**
         * Opens a file read-only without waiting ({@code O_NONBLOCK}: a FIFO put in the file's
         * place does not block).
         *
         * @param path the path's bytes, without NUL, as the file system holds them.
         * @return the map, or {@code null} when the file cannot be opened (then treat it all as data).
         * @throws UnsatisfiedLinkError when the library cannot be loaded.
         */
        public static DataMap open(byte[] path) {
            load();
            byte[] withNul = java.util.Arrays.copyOf(path, path.length + 1);
            long fd = openToSeek(withNul);
            return fd < 0 ? null : new DataMap((int) fd);
        }

        /**
         * Where the next data, or the next hole, starts.
         *
         * @param offset where to look from.
         * @param hole   {@code true} for the next hole (the file's size when none), {@code false}
         *               for the next data.
         * @return the offset; {@code -1} when no data follows {@code offset}; {@code -2} when it
         *         cannot be told (then treat the rest as data).
         */
        public long next(long offset, boolean hole) {
            return seekData(fd, offset, hole);
        }

        @Override
        public void close() {
            closeDescriptor(fd);
        }
    }

    /** The platform the library was compiled for: its jar folder, e.g. {@code linux_64} or {@code linux_64_musl}. */
    private static native String builtFor();

    /** Whether the platform has {@code posix_fadvise}. */
    private static native boolean fadvisePresent();

    /** {@code isatty(3)}: whether the descriptor is a terminal ({@code 2} for standard error). */
    private static native boolean isatty(int fd);

    /**
     * {@code open(2)} read-only with {@code O_NONBLOCK}: a FIFO does not wait for a writer.
     *
     * @param path the path's bytes, NUL-terminated.
     * @return the descriptor, or {@code -errno}.
     */
    static native long openToSeek(byte[] path);

    /**
     * {@code lseek(2)} {@code SEEK_DATA} or {@code SEEK_HOLE}.
     *
     * @param fd     a descriptor from {@link #openToSeek}.
     * @param offset where to look from.
     * @param hole   {@code true} for the next hole, {@code false} for the next data.
     * @return the offset found; {@code -1} when no data follows {@code offset} ({@code ENXIO});
     *         {@code -2} when it cannot be told (not supported, a descriptor that cannot seek).
     */
    static native long seekData(int fd, long offset, boolean hole);

    /**
     * {@code close(2)}.
     *
     * @param fd the descriptor.
     * @return 0 or {@code -errno}.
     */
    static native long closeDescriptor(int fd);

    private static UnsatisfiedLinkError failure(String message, Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError("mmap4j: " + message);
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    private static String describeHost() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    /**
     * The mount point of {@code directory} when that file system is mounted noexec (Linux
     * {@code /proc/self/mounts}), else null: the usual reason an extracted library will not load.
     */
    private static String noexecMount(Path directory) {
        File mounts = new File("/proc/self/mounts");
        if (!mounts.canRead()) {
            return null;
        }
        String best = null;
        boolean bestNoexec = false;
        try {
            String path = directory.toRealPath().toString();
            for (String line : Files.readAllLines(mounts.toPath(), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length < 4) {
                    continue;
                }
                // Spaces and the like are octal escapes (\040) in the mount point.
                String point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
                boolean inside = path.equals(point) || point.equals("/")
                        || path.startsWith(point.endsWith("/") ? point : point + "/");
                // Later lines are mounted over earlier ones: the last longest match wins.
                if (inside && (best == null || point.length() >= best.length())) {
                    best = point;
                    bestNoexec = Arrays.asList(fields[3].split(",")).contains("noexec");
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return bestNoexec ? best : null;
    }

    /**
     * Extracts (or reuses) the checked copy of {@code resource} in {@code directory},
     * a directory {@link ExtractionDirectory} made or checked: only this user can
     * add or change files there. Every file is still checked without following
     * links before it is trusted.
     */
    private static Path extract(String resource, String[] recorded, Path directory, int owner) throws IOException {
        Path target = copyIn(directory, recorded[0]);
        // A copy an earlier JVM extracted: its record, or else its checksum, says whether it is the jar's.
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && VerifiedCopy.check(target, recorded)) {
            ExtractionDirectory.checkFile(target, owner);
            return target;
        }
        // The jar's bytes are checked as read, before anything is written: what is written is what was checked.
        byte[] bytes = readResource(resource);
        if (!VerifiedCopy.holds(bytes, bytes.length, recorded)) {
            throw new IOException("checksum mismatch: the jar records CRC-32 " + recorded[2] + " and " + recorded[1]
                    + " bytes for " + resource + ", its copy has " + VerifiedCopy.crc32(bytes, bytes.length) + " and "
                    + bytes.length + " bytes; the jar is damaged or was altered");
        }
        Path temporary = temporaryIn(directory);
        try {
            writeNew(temporary, bytes);
            // Written by us, so owned by us: a directory owned by anyone else fails here, exactly (uids).
            ExtractionDirectory.checkFile(temporary, owner);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        ExtractionDirectory.checkFile(target, owner);
        return target;
    }

    /**
     * The copy in {@code directory} when it can be loaded at once, without the directory's lock:
     * its {@link VerifiedCopy} record vouches for it as it is now, and it was marked used within
     * the hour ({@link OldCopies#MARK_EVERY}), so no other JVM may remove it and this JVM has
     * nothing to mark. Null otherwise, and on any doubt.
     */
    private static Path readyCopy(String[] recorded, Path directory, int owner) {
        try {
            Path copy = copyIn(directory, recorded[0]);
            FileStamp stamp = VerifiedCopy.recorded(copy, recorded);
            // Marked within the hour (or ahead: a clock set back); a constant, so OldCopies stays unloaded.
            if (stamp == null || stamp.modified / 1000 <= System.currentTimeMillis() - OldCopies.MARK_EVERY) {
                return null;
            }
            ExtractionDirectory.checkFile(copy, stamp, owner); // the lstat the record was matched against
            return copy;
        } catch (IOException | RuntimeException e) {
            return null; // the locked path decides, and says why if it fails
        }
    }

    /** {@code libmmap4j-<first 16 hex digits of the SHA-256>.so} (or {@code .dylib}) in {@code directory}. */
    private static Path copyIn(Path directory, String sha256) {
        String fileName = System.mapLibraryName(NAME);
        int dot = fileName.lastIndexOf('.');
        return directory.resolve(fileName.substring(0, dot) + "-" + sha256.substring(0, 16) + fileName.substring(dot));
    }

    /**
     * A name for a temporary file in {@code directory} that {@code CREATE_NEW} will find free:
     * {@code .extract-<time>-<id>.tmp}, which {@link OldCopies} removes when a JVM died before
     * renaming it. Not {@code Files.createTempFile}: its SecureRandom costs a fresh JVM ~15 ms, and
     * the directory is the user's own (0700).
     */
    static Path temporaryIn(Path directory) {
        return directory.resolve(".extract-" + Long.toHexString(System.nanoTime()) + "-"
                + Integer.toHexString(System.identityHashCode(new Object())) + ".tmp");
    }

    /**
     * Writes {@code bytes} to a file that must not exist yet (a {@link #temporaryIn} name in the
     * user's own 0700 directory), created exclusively ({@code O_EXCL}). Through {@code java.io}: a
     * first extraction then opens no {@code FileChannel}, whose first use costs a fresh JVM 2 to 3
     * ms (issue 27).
     *
     * @throws IOException when the file exists already or cannot be written.
     */
    static void writeNew(Path file, byte[] bytes) throws IOException {
        File created = file.toFile();
        if (!created.createNewFile()) {
            throw new FileAlreadyExistsException(file.toString());
        }
        // Nobody else can replace it between the two opens: the directory is the user's own (0700).
        try (OutputStream out = new FileOutputStream(created)) {
            out.write(bytes);
        }
    }

    /** The resource's bytes. */
    private static byte[] readResource(String resource) throws IOException {
        return present(resource, resources(resource)[0]);
    }

    /** The fields of a small ASCII resource (its first 256 bytes), separated by white space. */
    private static String[] fields(byte[] bytes) {
        int length = Math.min(bytes.length, 256);
        // Split by hand: split("\\s+") compiles a regular expression, which on JDK 9+ bootstraps the
        // JVM's first lambda (java.util.regex uses them): 5 to 10 ms of a fresh JVM's first map.
        List<String> fields = new ArrayList<>(2);
        int start = -1;
        for (int i = 0; i <= length; i++) {
            boolean space = i == length || bytes[i] <= ' ';
            if (space && start >= 0) {
                fields.add(new String(bytes, start, i - start, StandardCharsets.US_ASCII));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return fields.toArray(new String[0]);
    }

    /**
     * The jar's checksum record of {@code resource}: {@code [sha256, size, crc32]}, the SHA-256 (64
     * lower-case hex digits) naming the copy, the size and CRC-32 (8 lower-case hex digits)
     * checking its bytes ({@code native/cmake/checksum.cmake} writes it).
     *
     * @param withBuild whether to read the build identity ({@link #expectedBuild}) too, from the
     *        jar opened once for both (the first map's path).
     */
    private static String[] readRecord(String resource, boolean withBuild) throws IOException {
        String record = resource + ".sha256";
        byte[][] found = withBuild ? resources(record, BUILD_RESOURCE) : resources(record);
        if (withBuild) {
            synchronized (NativeLibrary.class) {
                readBuild(found[1]);
            }
        }
        String[] fields = fields(present(record, found[0]));
        if (fields.length != 3 || fields[0].length() != 64 || fields[2].length() != 8) {
            throw new IOException("malformed checksum record " + record);
        }
        try {
            Long.parseLong(fields[1]);
            Long.parseLong(fields[2], 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed checksum record " + record, e);
        }
        return new String[] {fields[0].toLowerCase(Locale.ROOT), fields[1], fields[2].toLowerCase(Locale.ROOT)};
    }

    private static byte[] present(String resource, byte[] bytes) throws IOException {
        if (bytes == null) {
            throw new IOException("the jar has no resource " + resource + " (a jar built for other platforms only; "
                    + "build with -Pall-platforms for all six)");
        }
        return bytes;
    }

    /**
     * The named resources of the jar (or class directory) these classes were loaded from, each read
     * whole, the jar opened once for all; null for one that is missing.
     *
     * <p>Read from that file directly, not through {@code Class.getResourceAsStream}: on JDK 9+ the
     * class loader asks the boot loader first (which opens the runtime image's reader) and then
     * opens a {@code jar:} URL connection, about 5 ms of a fresh JVM's first map; a {@code ZipFile}
     * of the same jar shares the central directory the class loader already read. It also reads the
     * copy of the jar these classes came from, not whichever jar comes first on the class path.
     * Where the location is not a local file (a jar inside a jar, a custom class loader, a security
     * manager that hides it) or lacks a resource, the class's own lookup is used. (A class of its
     * own until issue 27's tenth pass: one more for the first map to load.)
     *
     * @param names paths inside the jar without a leading {@code /}, e.g. {@code natives/linux_64/libmmap4j.so}.
     * @return their bytes, in the order of {@code names}.
     */
    static byte[][] resources(String... names) {
        byte[][] found = new byte[names.length][];
        File location = location();
        if (location != null) {
            try {
                if (location.isDirectory()) {
                    for (int i = 0; i < names.length; i++) {
                        File file = new File(location, names[i]);
                        if (file.isFile()) {
                            try (InputStream in = new FileInputStream(file)) {
                                found[i] = readAll(in, file.length());
                            }
                        }
                    }
                } else {
                    try (ZipFile zip = new ZipFile(location)) {
                        for (int i = 0; i < names.length; i++) {
                            ZipEntry entry = zip.getEntry(names[i]);
                            if (entry != null) {
                                try (InputStream in = zip.getInputStream(entry)) {
                                    found[i] = readAll(in, entry.getSize());
                                }
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The class's own lookup below.
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (found[i] == null) {
                // Class.getResourceAsStream, not the class loader's: in the named module (JDK 9+, module path)
                // natives/<platform>/ is a package of the module, whose resources only its own classes see.
                try (InputStream in = NativeLibrary.class.getResourceAsStream("/" + names[i])) {
                    found[i] = in == null ? null : readAll(in, -1);
                } catch (IOException e) {
                    found[i] = null;
                }
            }
        }
        return found;
    }

    private static byte[] readAll(InputStream in, long size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size > 0 && size < Integer.MAX_VALUE - 8
                ? (int) size : 8192);
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            bytes.write(chunk, 0, n);
        }
        return bytes.toByteArray();
    }

    /** The local jar or directory these classes were loaded from, or null. */
    private static File location() {
        try {
            CodeSource source = NativeLibrary.class.getProtectionDomain().getCodeSource();
            URL url = source == null ? null : source.getLocation();
            return url != null && "file".equals(url.getProtocol()) ? new File(url.toURI()) : null;
        } catch (Exception e) { // SecurityException, a URL that is no URI: the class's lookup
            return null;
        }
    }

}
