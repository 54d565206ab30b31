/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.io.IOException;

/**
 * A system call made by mmap4j failed.
 *
 * <p>Carries what a user needs to act: the call ({@code mmap}, {@code msync},
 * ...), the errno as a number and as its symbolic name ({@code EACCES}), the
 * system's description, the arguments that matter, and a hint on what to do
 * about it. The message reads, for example:
 * <pre>
 * mmap failed: EACCES (Permission denied) [path=/data/x, offset=0, length=4096, READ_WRITE]
 *   hint: the file was opened read-only: open it read-write, or map it READ_ONLY or PRIVATE
 * </pre>
 * The errno value is the running platform's ({@code EAGAIN} is 11 on Linux and
 * 35 on macOS); compare {@link #errnoName()} for portable code.
 */
public final class MmapException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The system call that failed. */
    private final String call;
    /** The errno value, as the platform numbers it. */
    private final int errno;
    /** The symbolic errno name. */
    private final String errnoName;
    /** The arguments that matter. */
    private final String arguments;
    /** What to do about it. */
    private final String hint;

    /**
     * Creates the exception for a failed call.
     *
     * @param call        the system call that failed, e.g. {@code "mmap"}.
     * @param errno       the errno value the call left.
     * @param errnoName   the symbolic errno name, e.g. {@code "EACCES"}.
     * @param description the system's description of the errno ({@code strerror}).
     * @param arguments   the arguments that matter, for the message; may be empty.
     * @param hint        what the user can do about it; may be empty.
     */
    MmapException(String call, int errno, String errnoName, String description, String arguments,
                         String hint) {
        super(message(call, errnoName, description, arguments, hint));
        this.call = call;
        this.errno = errno;
        this.errnoName = errnoName;
        this.arguments = arguments;
        this.hint = hint;
    }

    private static String message(String call, String name, String description, String arguments, String hint) {
        StringBuilder sb = new StringBuilder(call).append(" failed: ").append(name);
        if (description != null && !description.isEmpty()) {
            sb.append(" (").append(description).append(')');
        }
        if (arguments != null && !arguments.isEmpty()) {
            sb.append(" [").append(arguments).append(']');
        }
        if (hint != null && !hint.isEmpty()) {
            sb.append("\n  hint: ").append(hint);
        }
        return sb.toString();
    }

    /**
     * The system call that failed.
     *
     * @return the call's name, e.g. {@code "msync"}.
     */
    public String call() {
        return call;
    }

    /**
     * The errno value, as the running platform numbers it.
     *
     * @return the errno value.
     */
    public int errno() {
        return errno;
    }

    /**
     * The symbolic errno name, the same on every platform.
     *
     * @return the name, e.g. {@code "ENOMEM"}.
     */
    public String errnoName() {
        return errnoName;
    }

    /**
     * The arguments of the failed call, as the message shows them.
     *
     * @return the arguments; empty when none were recorded.
     */
    public String arguments() {
        return arguments;
    }

    /**
     * What to do about the failure.
     *
     * @return the hint; empty when there is none.
     */
    public String hint() {
        return hint;
    }
}
