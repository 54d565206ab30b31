/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import java.lang.reflect.Field;
import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * Threads that take nothing from the thread that makes them: no inheritable thread-local values,
 * no context class loader (what test runners' and servers' leak detectors look for).
 *
 * <p>This is the Java 8 class. The jar carries a Java 9 one ({@code META-INF/versions/9}) that
 * calls Java 9's constructor directly; this one reaches it reflectively on JDK 9+ (a class path of
 * directories, where the jar's versions do not apply), and on JDK 8 clears the copied values by
 * reflection. On JDK 18+ the first reflective call spins method-handle classes: milliseconds of a
 * fresh JVM's first map, which the jar's class avoids (issue 27).
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
        Thread thread = null;
        if (Jdk.major() >= 9) {
            try {
                // Java 9's constructor that copies no inheritable thread-local values (public API,
                // not in Java 8's class library this is compiled against).
                thread = Thread.class.getConstructor(ThreadGroup.class, Runnable.class, String.class, long.class,
                        boolean.class).newInstance(group, task, name, 0L, false);
            } catch (ReflectiveOperationException | RuntimeException e) {
                thread = null;
            }
        }
        if (thread == null) {
            thread = new Thread(group, task, name);
            forgetInheritedValues(thread);
        }
        thread.setContextClassLoader(null);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Java 8: drops the inheritable thread-local values {@code Thread}'s constructor copied from
     * the calling thread (Java 8 has no constructor that skips them; its {@code Thread} is not
     * encapsulated).
     */
    private static void forgetInheritedValues(Thread thread) {
        try {
            Field field = Thread.class.getDeclaredField("inheritableThreadLocals");
            field.setAccessible(true);
            field.set(thread, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Another class library: the values stay, as with any thread the caller starts.
        }
    }
}
