/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Mmap;
import io.github.mmap4j.MmapException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code lock}: {@code mlock(2)}s the files and holds them until the process is
 * interrupted; a shutdown hook unlocks, unmaps and ends the JVM with the
 * command's exit code (0 when every file was locked), so Ctrl-C and SIGTERM
 * are clean exits rather than 130 or 143.
 */
final class LockCommand extends FileCommand {

    LockCommand() {
        super("lock", Collections.<String>emptyList(),
                "Lock files into memory (mlock) and hold them until Ctrl-C or SIGTERM",
                new Report.Column[] {Report.SIZE, Report.PAGES, new Report.Column("locked_pages", "LOCKED")},
                "Locking needs RLIMIT_MEMLOCK room (`ulimit -l`) or CAP_IPC_LOCK. On an interrupt the",
                "files are unlocked and the tool exits 0 (1 when some paths failed).");
    }

    @Override
    Work work(Options options, PrintStream err) {
        return new Work(options, err) {
            private final List<ByteBuffer> held = new ArrayList<>();
            private long lockedPages;

            @Override
            long[] process(Path path, long size) throws IOException {
                List<ByteBuffer> windows = new ArrayList<>();
                try {
                    FileWindows.forEach(path, size, (window, offset) -> {
                        windows.add(window);
                        Mmap.lock(window);
                        return true;
                    });
                } catch (IOException | RuntimeException e) {
                    release(windows);
                    throw e;
                }
                held.addAll(windows);
                long pages = FileWindows.pages(size);
                lockedPages += pages;
                return new long[] {size, pages, pages};
            }

            @Override
            int finish(int exitCode, PrintStream out) {
                if (held.isEmpty()) {
                    return exitCode;
                }
                CountDownLatch never = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    release(held);
                    err.println("mmap4j lock: unlocked " + lockedPages + " pages");
                    out.flush();
                    err.flush();
                    Runtime.getRuntime().halt(exitCode);
                }, "mmap4j-lock-release"));
                // Said only once the hook is in place: a SIGTERM sent on seeing it must find the hook.
                err.println("mmap4j lock: holding " + lockedPages + " locked pages (" + Sizes.human(lockedPages
                        * Mmap.pageSize()) + "); Ctrl-C or SIGTERM unlocks and exits");
                err.flush();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return exitCode;
            }
        };
    }

    private static void release(List<ByteBuffer> windows) {
        for (ByteBuffer window : windows) {
            try {
                Mmap.unlock(window);
                Mmap.unmap(window);
            } catch (MmapException | RuntimeException e) {
                // Unmapping below releases the lock as well; nothing more to do for this window.
            }
        }
    }
}
