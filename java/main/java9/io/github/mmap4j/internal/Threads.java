/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * Threads that take nothing from the thread that makes them: no inheritable thread-local values,
 * no context class loader. The Java 9 class of the multi-release jar: Java 9's constructor
 * directly, no reflection (see the Java 8 class).
 */
public final class Threads implements PrivilegedAction<Thread> {

    private final ThreadGroup group;
    private final Runnable task;
    private final String name;

    private Threads(ThreadGroup group, Runnable task, String name) {
        this.group = group;
        this.task = task;
        this.name = name;
    }

    /**
     * A daemon thread, not started, that copies no inheritable thread-local values from the
     * calling thread, has no context class loader, and inherits mmap4j's own access control
     * context (made in a privileged block), not the caller's, whose protection domains would pin
     * the caller's class loaders.
     *
     * @param group the thread group.
     * @param task  what it runs.
     * @param name  its name.
     * @return the thread.
     */
    public static Thread detached(ThreadGroup group, Runnable task, String name) {
        // This class is the action: no class of its own to load (issue 27).
        return AccessController.doPrivileged(new Threads(group, task, name));
    }

    /**
     * Makes the thread ({@link #detached}'s privileged action).
     *
     * @return the thread.
     */
    @Override
    public Thread run() {
        Thread thread = new Thread(group, task, name, 0, false);
        thread.setContextClassLoader(null);
        thread.setDaemon(true);
        return thread;
    }
}
