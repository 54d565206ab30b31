/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Collections;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files reached through wrappers, as test runners' and frameworks' file systems hand them out
 * (Lucene's test file systems wrap every path and channel): a wrapping file system's path maps the
 * file behind it; a channel that is not the JDK's, or a path that is no operating-system file
 * (a zip entry), is a checked {@link MmapException} {@code ENODEV} that names the way out.
 */
class WrappedSourceTest {

    @TempDir
    Path dir;

    @Test
    void aWrappingChannelIsRefusedWithACheckedExceptionNamingTheWayOut() throws Exception {
        Path file = dir.resolve("wrapped-channel");
        Files.write(file, new byte[] {1, 2, 3, 4});
        try (FileChannel real = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel wrapper = new DelegatingChannel(real)) {
            MmapException e = assertThrows(MmapException.class,
                    () -> Mmap.map(wrapper, 0, 4, MapOptions.of(MapMode.READ_ONLY)));
            assertEquals("ENODEV", e.errnoName(), e.getMessage());
            assertTrue(e.getMessage().contains(DelegatingChannel.class.getName()), e.getMessage());
            assertTrue(e.hint().contains("by Path") && e.hint().contains("FileDescriptor"), e.getMessage());
            assertThrows(MmapException.class, () -> Mmap.mapRegion(wrapper, 0, 4, MapOptions.of(MapMode.READ_ONLY)));
            assertTrue(real.isOpen() && wrapper.isOpen(), "neither channel was closed");
        }
    }

    @Test
    void aPathOfAFileSystemWrappingTheDefaultOneMapsTheFileBehindIt() throws Exception {
        Path file = dir.resolve("wrapped-path");
        Files.write(file, new byte[] {5, 6, 7, 8});
        Path wrapped = WrappingFileSystem.wrap(file);
        assertTrue(wrapped.getFileSystem() != FileSystems.getDefault());
        ByteBuffer b = Mmap.map(wrapped, MapMode.READ_ONLY);
        try {
            assertEquals(4, b.capacity());
            assertEquals(7, b.get(2));
        } finally {
            Mmap.unmap(b);
        }
        ByteBuffer w = Mmap.map(wrapped, 0, 4, MapOptions.of(MapMode.READ_WRITE));
        w.put(0, (byte) 42);
        Mmap.unmap(w);
        assertEquals(42, Files.readAllBytes(file)[0], "the write reached the file behind the wrapper");
    }

    @Test
    void aZipEntryIsRefusedWithACheckedExceptionNamingTheWayOut() throws Exception {
        Path zip = dir.resolve("entries.zip");
        URI uri = URI.create("jar:" + zip.toUri());
        try (FileSystem zipfs = FileSystems.newFileSystem(uri, Collections.singletonMap("create", "true"))) {
            Path entry = zipfs.getPath("/entry");
            Files.write(entry, new byte[] {9, 9, 9});
            MmapException e = assertThrows(MmapException.class, () -> Mmap.map(entry, MapMode.READ_ONLY));
            assertEquals("ENODEV", e.errnoName(), e.getMessage());
            assertTrue(e.hint().contains("Files.copy"), e.getMessage());
            assertThrows(MmapException.class, () -> GrowableRegion.open(entry, 1 << 20,
                    MapOptions.of(MapMode.READ_ONLY)));
        }
    }

    /** A channel of another class delegating to the JDK's, as Lucene's test file systems make them. */
    static final class DelegatingChannel extends FileChannel {
        private final FileChannel delegate;

        DelegatingChannel(FileChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return delegate.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return delegate.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }

    /**
     * A file system wrapping the default one, as a test runner's does: its paths are the default
     * file system's under another {@link FileSystem}, delegating everything else (their
     * {@code toUri()} is the file's {@code file:} URI).
     */
    static final class WrappingFileSystem extends FileSystem {
        private static final WrappingFileSystem INSTANCE = new WrappingFileSystem();

        static Path wrap(Path path) {
            return (Path) Proxy.newProxyInstance(WrappingFileSystem.class.getClassLoader(), new Class<?>[] {Path.class},
                    new InvocationHandler() {
                        @Override
                        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                            if (method.getName().equals("getFileSystem")) {
                                return INSTANCE;
                            }
                            try {
                                return method.invoke(path, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    });
        }

        @Override
        public FileSystemProvider provider() {
            return FileSystems.getDefault().provider();
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public String getSeparator() {
            return "/";
        }

        @Override
        public Iterable<Path> getRootDirectories() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterable<FileStore> getFileStores() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> supportedFileAttributeViews() {
            return Collections.emptySet();
        }

        @Override
        public Path getPath(String first, String... more) {
            return wrap(FileSystems.getDefault().getPath(first, more));
        }

        @Override
        public PathMatcher getPathMatcher(String syntaxAndPattern) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserPrincipalLookupService getUserPrincipalLookupService() {
            throw new UnsupportedOperationException();
        }

        @Override
        public WatchService newWatchService() {
            throw new UnsupportedOperationException();
        }
    }
}
