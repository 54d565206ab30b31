/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The programs of {@link ReclaimerThreadTest}, each in a fresh JVM so that the reclaimer thread is
 * started by the scenario itself: {@code main(scenario)}; exit status 0 means its checks passed.
 */
final class ReclaimerChild {

    private static final MapOptions ANONYMOUS = MapOptions.of(MapMode.READ_WRITE).sharing(Sharing.PRIVATE);

    private ReclaimerChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "isolation":
                isolation();
                break;
            case "idle":
                idle();
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("done");
        System.exit(0);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.out.println("FAILED: " + what);
            System.exit(2);
        }
        System.out.println("ok: " + what);
    }

    /** The first map happens in an application's thread group, class loader and thread locals. */
    private static void isolation() throws Exception {
        ThreadGroup app = new ThreadGroup("application");
        URLClassLoader loader = new URLClassLoader(new URL[0], null);
        InheritableThreadLocal<Object> local = new InheritableThreadLocal<>();
        Object[] value = {new Object()};
        WeakReference<Object> loaderRef = new WeakReference<>(loader);
        WeakReference<Object> valueRef = new WeakReference<>(value[0]);
        AtomicReference<ByteBuffer> mapped = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread first = new Thread(app, new Runnable() {
            @Override
            public void run() {
                local.set(value[0]);
                try {
                    mapped.set(Mmap.anonymous(4096, ANONYMOUS));
                } catch (Throwable t) {
                    failed.set(t);
                }
                local.remove();
            }
        }, "application-thread");
        first.setContextClassLoader(loader);
        first.start();
        first.join();
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
        Thread reclaimer = reclaimer();
        check(reclaimer != null, "the first map started " + Reclaimer.THREAD_NAME);
        check(reclaimer.getThreadGroup() != null && reclaimer.getThreadGroup().getParent() == null,
                "it runs in the root thread group, not the mapping thread's: " + reclaimer.getThreadGroup());
        check(reclaimer.getContextClassLoader() == null, "it has no context class loader: "
                + reclaimer.getContextClassLoader());
        check(reclaimer.isDaemon(), "it is a daemon");
        loader.close();
        loader = null;
        value[0] = null;
        first = null;
        app.destroy();
        for (int i = 0; i < 50 && (loaderRef.get() != null || valueRef.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        check(loaderRef.get() == null, "it does not keep the mapping thread's class loader reachable");
        check(valueRef.get() == null, "it does not keep the mapping thread's inheritable thread-local values");
        check(mapped.get().capacity() == 4096, "the mapping is still there");
    }

    /** The thread exits when nothing is held, starts again on demand, and stops on interrupt. */
    private static void idle() throws Exception {
        ByteBuffer b = Mmap.anonymous(4096, ANONYMOUS);
        Thread first = reclaimer();
        check(first != null && first.isAlive(), "a map starts the reclaimer");
        Mmap.unmap(b);
        b = null;
        collectEverything();
        first.join(60_000);
        check(!first.isAlive(), "it exits once every mapping was closed and collected");

        ByteBuffer held = Mmap.anonymous(4096, ANONYMOUS);
        Thread second = reclaimer();
        check(second != null && second != first && second.isAlive(), "the next map starts a new one");
        second.interrupt();
        second.join(60_000);
        check(!second.isAlive(), "an interrupt stops it, although a mapping is held");

        ByteBuffer dropped = Mmap.anonymous(4096, ANONYMOUS);
        Thread third = reclaimer();
        check(third != null && third != second && third.isAlive(), "the next map starts it again");
        long reclaimed = Mappings.reclaimed();
        held = null;
        dropped = null;
        // No map from here on: only the thread can unmap the two collected mappings.
        for (int i = 0; i < 600 && Mappings.reclaimed() < reclaimed + 2; i++) {
            System.gc();
            Thread.sleep(50);
        }
        check(Mappings.reclaimed() >= reclaimed + 2, "the restarted thread reclaims what the user dropped: "
                + (Mappings.reclaimed() - reclaimed));
        third.join(60_000);
        check(!third.isAlive(), "and exits again");
    }

    /** Collects until mmap4j holds nothing, without mapping (which would drain the queue itself). */
    private static void collectEverything() throws InterruptedException {
        for (int i = 0; i < 600 && Mappings.size() > 0; i++) {
            System.gc();
            Thread.sleep(50);
        }
        check(Mappings.size() == 0, "every mapping was reclaimed");
    }

    /** The live reclaimer thread, or {@code null}. */
    private static Thread reclaimer() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(Reclaimer.THREAD_NAME) && t.isAlive()) {
                return t;
            }
        }
        return null;
    }
}
