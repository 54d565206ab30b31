/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How to map: protection, sharing, extra flags, advice to give right after
 * mapping, and, for mapping by path, whether to create or grow the file.
 *
 * <p>Immutable: each {@code with}-style method returns a new instance.
 * <pre>{@code
 * MapOptions options = MapOptions.of(MapMode.READ_ONLY).advice(Advice.SEQUENTIAL);
 * MapOptions log = MapOptions.of(MapMode.READ_WRITE).createOrGrow().flags(MapFlag.POPULATE);
 * }</pre>
 */
public final class MapOptions {

    /** Mode for files mmap4j creates unless {@link #permissions(int)} says otherwise: {@code 0600}. */
    public static final int DEFAULT_PERMISSIONS = 0600;

    private final Set<Protection> protection;
    private final Sharing sharing;
    private final Set<MapFlag> flags;
    private final Advice advice;
    private final boolean createOrGrow;
    private final int permissions;
    /** {@code protection} as {@code PROT_*} bits, worked out once: options are made once and mapped often. */
    private final int protectionBits;

    private static final MapOptions READ_ONLY = new MapOptions(EnumSet.of(Protection.READ), Sharing.SHARED,
            EnumSet.noneOf(MapFlag.class), null, false, DEFAULT_PERMISSIONS);
    private static final MapOptions READ_WRITE = new MapOptions(EnumSet.of(Protection.READ, Protection.WRITE),
            Sharing.SHARED, EnumSet.noneOf(MapFlag.class), null, false, DEFAULT_PERMISSIONS);
    private static final MapOptions PRIVATE = new MapOptions(EnumSet.of(Protection.READ, Protection.WRITE),
            Sharing.PRIVATE, EnumSet.noneOf(MapFlag.class), null, false, DEFAULT_PERMISSIONS);

    private MapOptions(Set<Protection> protection, Sharing sharing, Set<MapFlag> flags, Advice advice,
                       boolean createOrGrow, int permissions) {
        this.protection = protection;
        this.sharing = sharing;
        this.flags = flags;
        this.advice = advice;
        this.createOrGrow = createOrGrow;
        this.permissions = permissions;
        this.protectionBits = Codes.protection(protection);
    }

    /**
     * Options for a {@link MapMode}: its protection and sharing, no flags, no advice.
     *
     * @param mode the mode.
     * @return the options.
     */
    public static MapOptions of(MapMode mode) {
        // Comparisons, not a switch on the enum (a synthetic class the first map would load).
        if (Objects.requireNonNull(mode, "mode") == MapMode.READ_ONLY) {
            return READ_ONLY;
        }
        return mode == MapMode.READ_WRITE ? READ_WRITE : PRIVATE;
    }

    /**
     * The same options with another protection ({@code PROT_*}); none at all,
     * {@code protection()}, is {@code PROT_NONE}: a reserved range, for example, to be opened
     * up later with {@link Mmap#protect}.
     *
     * @param protections the protection bits.
     * @return new options.
     */
    public MapOptions protection(Protection... protections) {
        return new MapOptions(setOf(Protection.class, protections, "protection"), sharing, flags, advice, createOrGrow,
                permissions);
    }

    /**
     * The same options with another sharing ({@code MAP_SHARED} or {@code MAP_PRIVATE}).
     *
     * @param newSharing the sharing.
     * @return new options.
     */
    public MapOptions sharing(Sharing newSharing) {
        return new MapOptions(protection, Objects.requireNonNull(newSharing, "sharing"), flags, advice,
                createOrGrow, permissions);
    }

    /**
     * The same options with these extra {@code mmap} flags (replacing earlier ones).
     *
     * @param newFlags the flags; each must be {@link MapFlag#isSupported() supported} when mapping.
     * @return new options.
     */
    public MapOptions flags(MapFlag... newFlags) {
        return new MapOptions(protection, sharing, setOf(MapFlag.class, newFlags, "flag"), advice, createOrGrow,
                permissions);
    }

    /** The values as a set; a null array or value is a {@link NullPointerException} naming {@code what}. */
    private static <E extends Enum<E>> Set<E> setOf(Class<E> type, E[] values, String what) {
        Set<E> set = EnumSet.noneOf(type);
        for (E value : Objects.requireNonNull(values, what + "s")) {
            set.add(Objects.requireNonNull(value, what));
        }
        return set;
    }

    /**
     * The same options with advice given by {@code madvise} right after mapping.
     *
     * @param newAdvice the advice, or {@code null} for none.
     * @return new options.
     */
    public MapOptions advice(Advice newAdvice) {
        return new MapOptions(protection, sharing, flags, newAdvice, createOrGrow, permissions);
    }

    /**
     * The same options, and when mapping by path, create the file if missing
     * and grow it (never shrink it) to {@code offset + length}.
     *
     * @return new options.
     */
    public MapOptions createOrGrow() {
        return new MapOptions(protection, sharing, flags, advice, true, permissions);
    }

    /**
     * The same options with the mode for a file (or shared memory object) that
     * mapping creates, as in {@code open(2)}; the process umask still applies.
     *
     * @param mode e.g. {@code 0640}; between {@code 0} and {@code 0777}.
     * @return new options.
     */
    public MapOptions permissions(int mode) {
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("permissions: " + Integer.toOctalString(mode)
                    + " is not a file mode between 0 and 0777");
        }
        return new MapOptions(protection, sharing, flags, advice, createOrGrow, mode);
    }

    /**
     * The protection.
     *
     * @return an unmodifiable set; empty means {@code PROT_NONE}.
     */
    Set<Protection> protectionSet() {
        return Collections.unmodifiableSet(protection);
    }

    /**
     * The sharing.
     *
     * @return shared or private.
     */
    Sharing sharing() {
        return sharing;
    }

    /**
     * The extra flags.
     *
     * @return an unmodifiable set.
     */
    Set<MapFlag> flags() {
        return Collections.unmodifiableSet(flags);
    }

    /** The protection as {@code Native.PROT_*} bits. */
    int protectionBits() {
        return protectionBits;
    }

    /**
     * The flags as {@code 1 << Native.FLAG_*} bits.
     *
     * @throws UnsupportedOperationException when the platform lacks one of them.
     */
    int flagBits() {
        return flags.isEmpty() ? 0 : Codes.flags(flags);
    }

    /**
     * The advice given right after mapping.
     *
     * @return the advice, or {@code null} for none.
     */
    Advice advice() {
        return advice;
    }

    /**
     * Whether mapping by path creates or grows the file.
     *
     * @return {@code true} after {@link #createOrGrow()}.
     */
    boolean isCreateOrGrow() {
        return createOrGrow;
    }

    /**
     * The mode for created files.
     *
     * @return e.g. {@code 0600}.
     */
    int permissions() {
        return permissions;
    }

    /**
     * Whether the mapping may be written.
     *
     * @return {@code true} when the protection has {@link Protection#WRITE}.
     */
    boolean isWritable() {
        return protection.contains(Protection.WRITE);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(protection.isEmpty() ? "PROT_NONE" : protection.toString()).append(' ').append(sharing);
        if (!flags.isEmpty()) {
            sb.append(' ').append(flags);
        }
        if (advice != null) {
            sb.append(" advice=").append(advice);
        }
        if (createOrGrow) {
            sb.append(" createOrGrow mode=0").append(Integer.toOctalString(permissions));
        }
        return sb.toString();
    }
}
