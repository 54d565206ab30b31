/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Files that are not regular files, made for tests: FIFOs, unix sockets, links
 * that lead nowhere. Tests that need a tool this machine lacks are skipped.
 */
public final class OddFiles {

    private OddFiles() {
    }

    /** {@code mkfifo path}. */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        assumeTrue(run("mkfifo", path.toString()) == 0, "mkfifo failed or is missing");
        return path;
    }

    /** A unix domain socket file at {@code path} (JDK 16+ in-process, else python3). */
    public static Path socket(Path path) throws IOException, InterruptedException {
        try {
            Class<?> address = Class.forName("java.net.UnixDomainSocketAddress");
            Object unix = StandardProtocolFamily.class.getField("UNIX").get(null);
            try (ServerSocketChannel server = (ServerSocketChannel) ServerSocketChannel.class
                    .getMethod("open", ProtocolFamily.class).invoke(null, unix)) {
                server.bind((SocketAddress) address.getMethod("of", Path.class).invoke(null, path));
            }
        } catch (ReflectiveOperationException e) {
            // JDK 8 to 15: no unix sockets in java.nio; the bound socket file outlives the process.
            int rc = run("python3", "-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])",
                    path.toString());
            assumeTrue(rc == 0, "no way to make a unix socket here (JDK < 16 and no python3)");
        }
        assumeTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path), "no socket made");
        return path;
    }

    /**
     * Lets a thread stuck opening the FIFO for reading go on: opens it read-write
     * (which Linux never makes wait) and closes it again; the reader's open sees a
     * writer come and returns. Never creates a file. Ignores failures.
     */
    public static void unblock(Path fifo) {
        try (SeekableByteChannel ch = Files.newByteChannel(fifo, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.isOpen();
        } catch (IOException e) {
            // Gone already, or not a FIFO: nobody can be waiting on it.
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(new File("/dev/null")).start();
        } catch (IOException e) {
            return 127;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return 124;
        }
        return p.exitValue();
    }
}
