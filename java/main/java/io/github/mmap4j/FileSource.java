/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A descriptor to map and the file's size: opened by mmap4j from a path (and
 * closed right after mapping, since a mapping keeps the file by itself), or
 * borrowed from a caller's channel, {@code RandomAccessFile} or
 * {@code FileDescriptor} (never closed here).
 *
 * <p>Paths are opened with {@code O_NONBLOCK|O_NOCTTY}, so a FIFO cannot make
 * {@code open} wait for a writer and a terminal never becomes the controlling
 * one; the type is then checked on the open descriptor (regular files and block
 * devices only, shared memory objects by name), and {@code O_NONBLOCK} cleared.
 * Borrowed descriptors get the same type check. A borrowed descriptor can be
 * closed by another thread while it is mapped, and its number reused by an
 * unrelated {@code open}: {@link #checkStillOpen()} tells, after {@code mmap},
 * whether the mapping is of the file the caller meant.
 */
final class FileSource implements Closeable {

    private static final Charset PATH_CHARSET = pathCharset();
    /** Whether ASCII text encodes to the same bytes: then an ASCII string needs no encoder. */
    private static final boolean ASCII_COMPATIBLE = PATH_CHARSET.equals(StandardCharsets.UTF_8)
            || PATH_CHARSET.equals(StandardCharsets.ISO_8859_1) || PATH_CHARSET.equals(StandardCharsets.US_ASCII);

    /** The flags every open by path or name adds: never wait, never take a controlling terminal. */
    private static final int NO_WAIT = Native.OPEN_NONBLOCK | Native.OPEN_NOCTTY;

    private final int fd;
    private final long size;
    private final boolean owned;
    /**
     * What the file is, for messages: the whole text for a file mmap4j opened; for a borrowed
     * descriptor, its kind, which {@link #description()} follows with the number.
     */
    private final String name;
    /** The caller's {@code FileChannel} or {@code FileDescriptor} ({@code null} when mmap4j opened the file). */
    private final Object borrowed;
    /**
     * What this open created ({@code O_CREAT|O_EXCL}): the {@code Path}, or a shared memory name's
     * C string; {@code null} when the file existed. Removed if the call that opened it fails.
     */
    private final Object created;

    private FileSource(int fd, long size, boolean owned, String name, Object borrowed) {
        this(fd, size, owned, name, borrowed, null);
    }

    private FileSource(int fd, long size, boolean owned, String name, Object borrowed, Object created) {
        this.created = created;
        this.fd = fd;
        this.size = size;
        this.owned = owned;
        this.name = name;
        this.borrowed = borrowed;
    }

    /**
     * Opens a file by path with {@code open(2)}, creating and growing it when asked.
     *
     * @param path      the file; on the default file system.
     * @param write     open read-write rather than read-only.
     * @param create    create the file if missing ({@code O_CREAT}).
     * @param mode      the mode of a created file.
     * @param growTo    grow the file to at least this size ({@code ftruncate}); {@code -1} for no growth.
     * @return the source, which closes the descriptor on {@link #close()}.
     * @throws MmapException when {@code open}, {@code lseek} or {@code ftruncate} fails, or the path
     *                       names something other than a regular file or block device.
     */
    static FileSource open(Path path, boolean write, boolean create, int mode, long growTo)
            throws MmapException {
        int flags = write ? Native.OPEN_READ_WRITE : Native.OPEN_READ_ONLY;
        String what = "path=" + path;
        String arguments = what + (write ? ", read-write" : ", read-only") + (create ? ", create" : "");
        if (!create) {
            return owned(openPath(path, flags, mode, arguments), "open", what, false, growTo, null);
        }
        byte[] bytes = checkedPath(path);
        long fd = openRetrying(bytes, flags | NO_WAIT, mode);
        boolean created = false;
        if (fd < 0 && fd == -Errors.value("ENOENT")) {
            // Created with O_EXCL, so that a failure later in this call may remove it: never a file it did not create.
            fd = openRetrying(bytes, flags | Native.OPEN_CREATE | Native.OPEN_EXCLUSIVE | NO_WAIT, mode);
            created = fd >= 0;
            if (fd == -Errors.value("EEXIST")) {
                // Created by another process in between, or a dangling link (O_EXCL does not follow it):
                // O_CREAT opens or creates it, not known to be this call's.
                fd = openRetrying(bytes, flags | Native.OPEN_CREATE | NO_WAIT, mode);
            }
        }
        Errors.check(fd, "open", arguments);
        return owned((int) fd, "open", what, false, growTo, created ? path : null);
    }

    /**
     * Opens a file by path read-only to ask about it (its page cache, say), never to read it:
     * {@code O_NONBLOCK} stays set and the size is one {@code lseek(SEEK_END)}, two and three
     * system calls fewer than {@link #open}, which counts for trees of small files. A mapping
     * of the descriptor is fine ({@code mmap} ignores {@code O_NONBLOCK}).
     *
     * @param path the file; on the default file system.
     * @return the source, which closes the descriptor on {@link #close()}.
     * @throws MmapException when {@code open} or {@code lseek} fails, or the path names something
     *                       other than a regular file or block device.
     */
    static FileSource openToQuery(Path path) throws MmapException {
        String what = "path=" + path;
        int fd = openPath(path, Native.OPEN_READ_ONLY, 0, what + ", read-only");
        try {
            return new FileSource(fd, mappableSize(fd, "open", what, false, false), true, what, null);
        } catch (MmapException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    /** The checks every open by path makes, then {@code open(2)} without waiting; the descriptor. */
    private static int openPath(Path path, int flags, int mode, String arguments) throws MmapException {
        long fd = openRetrying(checkedPath(path), flags | NO_WAIT, mode);
        if (fd < 0) { // Errors only on failure: a first map need not load it
            Errors.check(fd, "open", arguments);
        }
        return (int) fd;
    }

    /** The checks every open by path makes; the path's bytes for {@code open(2)}. */
    private static byte[] checkedPath(Path path) throws MmapException {
        Objects.requireNonNull(path, "path");
        Platform.ensureLoadedToOpen();
        if (path.getFileSystem() != FileSystems.getDefault()) {
            path = fileBehind(path, "path=" + path);
        }
        String name = path.toString();
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path: '" + name + "' is empty or holds a NUL character");
        }
        return pathBytes(path, name);
    }

    /** {@code open(2)}, retried after a collection when out of descriptors ({@link #opened}). */
    private static long openRetrying(byte[] bytes, int flags, int mode) {
        return opened(false, bytes, flags, mode, Native.open(bytes, flags, mode));
    }

    /** {@code shm_open(3)}, retried after a collection when out of descriptors ({@link #opened}). */
    private static long shmOpenRetrying(byte[] name, int flags, int mode) {
        return opened(true, name, flags, mode, Native.shmOpen(name, flags, mode));
    }

    /**
     * An open's result; after {@code EMFILE}/{@code ENFILE}, asks for a collection (growable regions
     * dropped without close hold descriptors until one) and tries again while the reclaimer closes
     * them, a few times over at most a quarter of a second: the descriptors come back as the
     * reclaimer gets to them, which may be after the collection's wait ended.
     */
    private static long opened(boolean shm, byte[] name, int flags, int mode, long rc) {
        if (!outOfDescriptors(rc)) {
            return rc;
        }
        Mappings.relievePressure();
        for (int attempt = 0; ; attempt++) {
            rc = shm ? Native.shmOpen(name, flags, mode) : Native.open(name, flags, mode);
            if (!outOfDescriptors(rc) || attempt == 8) {
                return rc;
            }
            Reclaimer.drain();
            try {
                Thread.sleep(1L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return rc;
            }
        }
    }

    /**
     * The operating system's file behind a path of another file system: a file system that wraps
     * the default one (a test runner's, a {@code FilterFileSystem}) names its files by {@code file:}
     * URIs or answers {@link Path#toFile()}, and mapping that file is what the JDK's own
     * {@code FileChannel.map} through such a wrapper does. Anything else (a zip file system's
     * entry, a remote or in-memory file) is not a file {@code mmap} can map: {@code ENODEV}, the
     * errno {@code mmap} gives for a file system that cannot be mapped.
     */
    private static Path fileBehind(Path path, String arguments) throws MmapException {
        try {
            java.net.URI uri = path.toUri();
            if ("file".equalsIgnoreCase(uri.getScheme())) {
                return java.nio.file.Paths.get(uri);
            }
        } catch (RuntimeException | java.io.IOError e) {
            // no URI the default file system understands: try toFile()
        }
        try {
            return path.toFile().toPath();
        } catch (UnsupportedOperationException e) {
            throw Errors.exception("ENODEV", "open", arguments, "a path of the "
                    + path.getFileSystem().provider().getScheme() + " file system (" + path.toUri() + ") is not "
                    + "a file of the operating system: only paths of the default file system, or of a file system "
                    + "that wraps it (its paths' toUri() is a file: URI, or toFile() answers), can be mapped; copy "
                    + "the content to a file (Files.copy) and map that");
        }
    }

    /**
     * Whether an open failed for want of descriptors ({@code EMFILE}, {@code ENFILE}). Growable
     * regions dropped without close hold theirs until a collection, so the open is tried once
     * more after one, as a map is after {@code ENOMEM}.
     */
    private static boolean outOfDescriptors(long rc) {
        return rc < 0 && (rc == -Errors.value("EMFILE") || rc == -Errors.value("ENFILE"));
    }

    /**
     * Opens a POSIX shared memory object with {@code shm_open(3)}, creating and
     * growing it when asked.
     *
     * @param name      a valid name (checked by the caller): {@code /} and up to the platform's limit.
     * @param write     open read-write rather than read-only.
     * @param create    create the object if missing ({@code O_CREAT}).
     * @param exclusive fail with {@code EEXIST} when it exists ({@code O_EXCL}).
     * @param mode      the mode of a created object.
     * @param growTo    grow it to at least this size ({@code ftruncate}); {@code -1} for no growth.
     * @return the source, which closes the descriptor on {@link #close()}.
     * @throws MmapException when {@code shm_open}, {@code lseek} or {@code ftruncate} fails, or the
     *                       name leads to something other than a shared memory object (a FIFO another
     *                       user placed in {@code /dev/shm}).
     */
    static FileSource openShared(String name, boolean write, boolean create, boolean exclusive, int mode,
                                        long growTo) throws MmapException {
        Platform.ensureLoadedToOpen();
        int flags = write ? Native.OPEN_READ_WRITE : Native.OPEN_READ_ONLY;
        String what = "name=" + name;
        byte[] cName = cString("name", name);
        // The shim adds O_NONBLOCK on Linux itself: macOS's shm_open refuses flags beyond POSIX's.
        long fd;
        boolean created = false;
        if (!create || exclusive) {
            fd = shmOpenRetrying(cName, flags | (create ? Native.OPEN_CREATE | Native.OPEN_EXCLUSIVE : 0), mode);
            created = create && fd >= 0;
        } else {
            // As for a path: created with O_EXCL, so that a failure later in this call may remove it.
            fd = shmOpenRetrying(cName, flags, mode);
            if (fd < 0 && fd == -Errors.value("ENOENT")) {
                fd = shmOpenRetrying(cName, flags | Native.OPEN_CREATE | Native.OPEN_EXCLUSIVE, mode);
                created = fd >= 0;
                if (fd == -Errors.value("EEXIST")) {
                    fd = shmOpenRetrying(cName, flags | Native.OPEN_CREATE, mode); // created by another meanwhile
                }
            }
        }
        Errors.check(fd, "shm_open", what + (write ? ", read-write" : ", read-only") + (create ? ", create" : "")
                + (exclusive ? " exclusive, mode=0" + Integer.toOctalString(mode) : ""));
        return owned((int) fd, "shm_open", "shared memory " + what, true, growTo, created ? cName : null);
    }

    /**
     * Checks the type of a descriptor mmap4j opened, makes it blocking again, reads
     * its size, grows it if asked, and closes it (and removes what this call created) on failure.
     */
    private static FileSource owned(int fd, String call, String what, boolean sharedMemory, long growTo,
                                    Object created) throws MmapException {
        try {
            long size = mappableSize(fd, call, what, false, sharedMemory);
            long rc = Native.clearNonblocking(fd);
            if (rc < 0) { // Errors only on failure: a first map need not load it
                Errors.check(rc, "fcntl(F_SETFL)", what);
            }
            if (growTo > size) {
                Errors.check(Native.truncate(fd, growTo), "ftruncate", what + ", size=" + growTo);
                size = growTo;
            }
            return new FileSource(fd, size, true, what, null, created);
        } catch (MmapException | RuntimeException e) {
            Native.close(fd);
            remove(created, e);
            throw e;
        }
    }

    /**
     * After a failed call, removes the file or shared memory object that call created
     * ({@code O_CREAT|O_EXCL} succeeded), so that it leaves nothing behind; never one that existed.
     *
     * @param failure the call's exception, which gets a failure to remove as a suppressed one.
     */
    void removeCreated(Throwable failure) {
        remove(created, failure);
    }

    /** {@link #removeCreated} for a {@code Path}, a shared memory name's C string, or {@code null} (nothing). */
    private static void remove(Object created, Throwable failure) {
        try {
            if (created instanceof Path) {
                Files.deleteIfExists((Path) created);
            } else if (created instanceof byte[]) {
                long rc = FileCalls.unlinkShared((byte[]) created);
                if (rc < 0 && rc != -Errors.value("ENOENT")) {
                    failure.addSuppressed(Errors.exception((int) -rc, "shm_unlink", "removing what the call created"));
                }
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The size of a descriptor's file, from the same {@code fstat} that refuses a file that
     * cannot be mapped: anything but a regular file or a block device, or for a shared memory
     * name, anything but a shared memory object (a regular file in Linux's {@code /dev/shm};
     * macOS reports none of the type bits for them).
     */
    private static long mappableSize(int fd, String call, String name, boolean borrowed, boolean sharedMemory)
            throws MmapException {
        long stat = Native.fileStat(fd);
        if (stat < 0) {
            Errors.check(stat, "fstat", describe(name, fd, borrowed));
        }
        int type = (int) (stat & 7);
        boolean mappable = sharedMemory ? type == Native.TYPE_REGULAR || type == Native.TYPE_UNKNOWN
                : type == Native.TYPE_REGULAR || type == Native.TYPE_BLOCK_DEVICE;
        if (!mappable) {
            throw Errors.notMappable(call, type, describe(name, fd, borrowed));
        }
        return stat >>> 3;
    }

    /** A message's name for a descriptor: a borrowed one's kind and number, or what mmap4j opened. */
    private static String describe(String name, int fd, boolean borrowed) {
        return borrowed ? name + " fd=" + fd : name;
    }

    /**
     * Borrows the descriptor of a JDK {@link FileChannel}.
     *
     * @param channel an open channel from {@code FileChannel.open}, {@code RandomAccessFile}
     *                or a file stream.
     * @return the source; its {@link #close()} leaves the channel open.
     * @throws IOException when the channel is closed or its size cannot be read.
     * @throws MmapException when the channel's file is not a regular file or block device, or
     *                       ({@code ENODEV}) the channel is not the JDK's own (a wrapper).
     */
    static FileSource of(FileChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Platform.ensureLoadedToOpen();
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        int fd = Native.descriptor(channel);
        if (fd < 0) {
            if (!channel.isOpen()) {
                throw new AsynchronousCloseException(); // closed by another thread since the check above
            }
            if (channel.getClass().getName().equals("sun.nio.ch.FileChannelImpl")) {
                // The JDK's channel over a closed descriptor: on JDK 8, RandomAccessFile.getChannel()
                // after close() makes one, open itself but with the file's descriptor gone.
                throw new ClosedChannelException();
            }
            // A FileChannel of another class (a test file system's wrapper, a framework's): its
            // descriptor is out of reach without reflection into the caller's class.
            throw Errors.exception("ENODEV", "mmap", "channel " + channel.getClass().getName(), "only the "
                    + "JDK's own file channel (FileChannel.open, RandomAccessFile/FileInputStream/"
                    + "FileOutputStream.getChannel()) gives mmap4j its descriptor: map the file by Path (a wrapping "
                    + "file system's path is followed to its file), or pass the FileDescriptor of a "
                    + "RandomAccessFile or file stream of that file");
        }
        // No message text is built unless a message needs it: this runs on every map of a channel.
        return new FileSource(fd, mappableSize(fd, "mmap", "channel", true, false), false, "channel", channel);
    }

    /**
     * Borrows a {@link FileDescriptor}.
     *
     * @param descriptor an open descriptor.
     * @return the source; its {@link #close()} leaves the descriptor open.
     * @throws IOException when the descriptor is closed, or its size cannot be read.
     * @throws MmapException when its file is not a regular file or block device.
     */
    static FileSource of(FileDescriptor descriptor) throws IOException {
        return of(descriptor, "FileDescriptor");
    }

    private static FileSource of(FileDescriptor descriptor, String kind) throws IOException {
        Objects.requireNonNull(descriptor, "descriptor");
        Platform.ensureLoadedToOpen();
        int fd = descriptor.valid() ? Native.descriptor(descriptor) : -1;
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        return new FileSource(fd, mappableSize(fd, "mmap", kind, true, false), false, kind, descriptor);
    }

    /**
     * Confirms, after {@code mmap}, that a borrowed source stayed open across
     * the call, so the descriptor number still named the caller's file. Both
     * ways of closing mark the object before the number is released: a channel's
     * closed state is set first and is permanent, and the JDK sets a
     * {@code FileDescriptor}'s number to {@code -1} before its {@code close(2)}.
     * Sources mmap4j opened are always still open here.
     *
     * @throws AsynchronousCloseException when the caller's channel was closed meanwhile.
     * @throws IOException                when the caller's {@code FileDescriptor} was closed meanwhile.
     */
    void checkStillOpen() throws IOException {
        if (borrowed instanceof FileChannel) {
            if (!((FileChannel) borrowed).isOpen()) {
                // A ClosedChannelException, as the JDK's own channel calls throw when another thread closes.
                throw new AsynchronousCloseException();
            }
        } else if (borrowed != null && Native.descriptor(borrowed) != fd) {
            throw new IOException("mmap4j: " + description() + " was closed by another thread while it was being "
                    + "mapped, and its number may already name another file; nothing was mapped");
        }
    }

    /**
     * The descriptor number.
     *
     * @return an open descriptor.
     */
    int fd() {
        return fd;
    }

    /**
     * The file's size when the source was made.
     *
     * @return bytes.
     */
    long size() {
        return size;
    }

    /**
     * What the source is, for messages.
     *
     * @return e.g. {@code path=/data/x}.
     */
    String description() {
        return describe(name, fd, borrowed != null);
    }

    /**
     * What the file is without the descriptor number: what mmap4j opened ({@code path=...}), or
     * a borrowed descriptor's kind ({@code channel}); a mapping keeps this and the number, not the source.
     *
     * @return the text.
     */
    String name() {
        return name;
    }

    /**
     * Whether the descriptor is the caller's: then {@link #description()} is {@link #name()} and the number.
     *
     * @return {@code true} for a borrowed {@code FileChannel} or {@code FileDescriptor}.
     */
    boolean isBorrowed() {
        return borrowed != null;
    }

    /** Closes the descriptor if mmap4j opened it; borrowed ones stay open. */
    @Override
    public void close() {
        if (owned) {
            Native.close(fd);
        }
    }

    /**
     * A NUL-terminated byte string in the encoding the JDK uses for file names,
     * encoded losslessly: a string that does not encode exactly (an unpaired
     * surrogate, a character the encoding lacks) is refused rather than opening
     * whatever name its replacement bytes spell.
     *
     * @param argument what the string is, for the message (e.g. {@code "name"}).
     * @param s        the string.
     * @return its bytes plus a trailing NUL.
     * @throws IllegalArgumentException when {@code s} does not encode losslessly.
     */
    static byte[] cString(String argument, String s) {
        if (ASCII_COMPATIBLE && isAscii(s)) {
            byte[] withNul = new byte[s.length() + 1];
            for (int i = 0; i < s.length(); i++) {
                withNul[i] = (byte) s.charAt(i);
            }
            return withNul;
        }
        CharsetEncoder encoder = PATH_CHARSET.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes;
        try {
            bytes = encoder.encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(argument + " \"" + escape(s) + "\" does not encode losslessly in "
                    + PATH_CHARSET.name() + " (" + unencodable(s) + "); it would name a different "
                    + (argument.equals("path") ? "file" : "object"), e);
        }
        byte[] withNul = new byte[bytes.remaining() + 1];
        bytes.get(withNul, 0, withNul.length - 1);
        return withNul;
    }

    /**
     * The bytes of a path's name as the file system holds them. A path read from
     * a directory keeps the raw bytes of its name, which its string form cannot
     * always show: bytes that are not valid in the encoding become U+FFFD, and
     * encoding that string back would open another file (one whose name has
     * U+FFFD in it). Such paths take their bytes from {@link Path#toUri()}, which
     * percent-encodes the raw bytes.
     */
    private static byte[] pathBytes(Path path, String name) {
        if (name.indexOf('\uFFFD') < 0) {
            return cString("path", name);
        }
        String raw = path.toAbsolutePath().toUri().getRawPath();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c); // URI path characters outside %XX are ASCII
            }
        }
        byte[] b = bytes.toByteArray();
        // toUri() appends '/' to a directory's path: drop it, the name has none.
        int length = b.length > 1 && b[b.length - 1] == '/' && !name.endsWith("/") ? b.length - 1 : b.length;
        byte[] withNul = new byte[length + 1];
        System.arraycopy(b, 0, withNul, 0, length);
        return withNul;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** What in {@code s} does not encode: the first unpaired surrogate or unmappable character. */
    private static String unencodable(String s) {
        CharsetEncoder encoder = PATH_CHARSET.newEncoder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (Character.isSurrogate(s.charAt(i)) && n == 1) {
                return String.format("unpaired surrogate U+%04X at index %d", (int) s.charAt(i), i);
            }
            if (!encoder.canEncode(s.substring(i, i + n))) {
                return String.format("U+%04X at index %d has no %s encoding", cp, i, PATH_CHARSET.name());
            }
            i += n;
        }
        return "malformed input";
    }

    /** The string with what is not printable ASCII shown as {@code \}{@code uXXXX}, for messages. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static Charset pathCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name != null ? Charset.forName(name) : StandardCharsets.UTF_8;
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
