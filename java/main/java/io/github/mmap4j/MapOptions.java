/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
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

    /**
     * The protections and flags as bits by ordinal ({@code 1 << ordinal()}), not {@code EnumSet}s:
     * an enum's first {@code EnumSet} reads its values reflectively, which on JDK 18+ spins method
     * handle classes, milliseconds of a fresh JVM's first map (issue 27). Sets are made when asked for.
     */
    private final int protection;
    private final Sharing sharing;
    private final int flags;
    private final Advice advice;
    private final boolean createOrGrow;
    private final int permissions;
    /** {@code protection} as {@code PROT_*} bits, worked out once: options are made once and mapped often. */
    private final int protectionBits;

    private static final int READ = 1 << Protection.READ.ordinal();
    private static final int READ_AND_WRITE = READ | 1 << Protection.WRITE.ordinal();
    private static final MapOptions READ_ONLY = new MapOptions(READ, Sharing.SHARED, 0, null, false,
            DEFAULT_PERMISSIONS);
    private static final MapOptions READ_WRITE = new MapOptions(READ_AND_WRITE, Sharing.SHARED, 0, null, false,
            DEFAULT_PERMISSIONS);
    private static final MapOptions PRIVATE = new MapOptions(READ_AND_WRITE, Sharing.PRIVATE, 0, null, false,
            DEFAULT_PERMISSIONS);

    private MapOptions(int protection, Sharing sharing, int flags, Advice advice, boolean createOrGrow,
                       int permissions) {
        this.protection = protection;
        this.sharing = sharing;
        this.flags = flags;
        this.advice = advice;
        this.createOrGrow = createOrGrow;
        this.permissions = permissions;
        this.protectionBits = Codes.protection(MapOptions.<Protection>listOf(Protection.values(), protection));
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
        return new MapOptions(bitsOf(protections, "protection"), sharing, flags, advice, createOrGrow, permissions);
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
        return new MapOptions(protection, sharing, bitsOf(newFlags, "flag"), advice, createOrGrow, permissions);
    }

    /*
     * The helpers below take enum arrays as Object[]: passing a MapFlag[] where an Enum[] is
     * declared has the verifier load MapFlag with this class, at every first map (issue 27).
     */

    /** The values as bits by ordinal; a null array or value is a {@link NullPointerException} naming {@code what}. */
    private static int bitsOf(Object[] values, String what) {
        int bits = 0;
        for (Object value : Objects.requireNonNull(values, what + "s")) {
            bits |= 1 << ((Enum<?>) Objects.requireNonNull(value, what)).ordinal();
        }
        return bits;
    }

    /** The values of {@code universe} (an enum's {@code values()}) whose ordinals are set in {@code bits}, in order. */
    @SuppressWarnings("unchecked")
    private static <E extends Enum<E>> List<E> listOf(Object[] universe, int bits) {
        List<E> list = new ArrayList<>(Integer.bitCount(bits));
        for (Object value : universe) {
            if ((bits & 1 << ((Enum<?>) value).ordinal()) != 0) {
                list.add((E) value);
            }
        }
        return list;
    }

    /** The values of {@code universe} whose ordinals are set in {@code bits}, as a read-only set. */
    private static <E extends Enum<E>> Set<E> setOf(Class<E> type, Object[] universe, int bits) {
        Set<E> set = EnumSet.noneOf(type);
        set.addAll(MapOptions.<E>listOf(universe, bits));
        return Collections.unmodifiableSet(set);
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
        return setOf(Protection.class, Protection.values(), protection);
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
        return setOf(MapFlag.class, MapFlag.values(), flags);
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
        return flags == 0 ? 0 : Codes.flags(MapOptions.<MapFlag>listOf(MapFlag.values(), flags));
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
        return (protection & 1 << Protection.WRITE.ordinal()) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(protection == 0 ? "PROT_NONE" : MapOptions.<Protection>listOf(Protection.values(), protection))
                .append(' ')
                .append(sharing);
        if (flags != 0) {
            sb.append(' ').append(MapOptions.<MapFlag>listOf(MapFlag.values(), flags));
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
