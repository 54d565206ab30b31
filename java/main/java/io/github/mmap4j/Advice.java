/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

/**
 * Advice for {@link Mmap#advise(java.nio.ByteBuffer, Advice)} ({@code madvise(2)}).
 *
 * <p>The first five exist everywhere. The others exist where the platform's
 * headers define them at build time; {@link #isSupported()} answers for the
 * running platform, and using an unsupported one raises
 * {@link UnsupportedOperationException}. A kernel older than the headers may
 * still refuse a defined advice with {@code EINVAL}.
 */
public enum Advice {
    /** {@code MADV_NORMAL}: no special treatment. */
    NORMAL(Native.ADV_NORMAL),
    /** {@code MADV_RANDOM}: expect random access; read ahead less. */
    RANDOM(Native.ADV_RANDOM),
    /** {@code MADV_SEQUENTIAL}: expect sequential access; read ahead more. */
    SEQUENTIAL(Native.ADV_SEQUENTIAL),
    /** {@code MADV_WILLNEED}: expect access soon; start reading the pages in. */
    WILLNEED(Native.ADV_WILLNEED),
    /**
     * {@code MADV_DONTNEED}: the pages are not needed soon. File pages are
     * dropped from this mapping (a shared mapping keeps its data in the file); private
     * and anonymous pages read back as zeros (Linux) afterwards.
     */
    DONTNEED(Native.ADV_DONTNEED),
    /** {@code MADV_FREE}: the kernel may free these private pages lazily (Linux 4.5+, macOS). */
    FREE(Native.ADV_FREE),
    /** {@code MADV_REMOVE}: free the range and its backing store, punching a hole (Linux, shared). */
    REMOVE(Native.ADV_REMOVE),
    /** {@code MADV_DONTFORK}: a forked child does not get this range (Linux). */
    DONTFORK(Native.ADV_DONTFORK),
    /** {@code MADV_DOFORK}: undo {@link #DONTFORK} (Linux). */
    DOFORK(Native.ADV_DOFORK),
    /** {@code MADV_MERGEABLE}: let KSM merge identical pages (Linux). */
    MERGEABLE(Native.ADV_MERGEABLE),
    /** {@code MADV_UNMERGEABLE}: undo {@link #MERGEABLE} (Linux). */
    UNMERGEABLE(Native.ADV_UNMERGEABLE),
    /** {@code MADV_HUGEPAGE}: back the range with transparent huge pages (Linux). */
    HUGEPAGE(Native.ADV_HUGEPAGE),
    /** {@code MADV_NOHUGEPAGE}: never use transparent huge pages here (Linux). */
    NOHUGEPAGE(Native.ADV_NOHUGEPAGE),
    /** {@code MADV_DONTDUMP}: leave the range out of core dumps (Linux). */
    DONTDUMP(Native.ADV_DONTDUMP),
    /** {@code MADV_DODUMP}: undo {@link #DONTDUMP} (Linux). */
    DODUMP(Native.ADV_DODUMP),
    /** {@code MADV_COLD}: deactivate the pages; reclaim them first under pressure (Linux 5.4+). */
    COLD(Native.ADV_COLD),
    /** {@code MADV_PAGEOUT}: reclaim the pages now (Linux 5.4+). */
    PAGEOUT(Native.ADV_PAGEOUT),
    /** {@code MADV_POPULATE_READ}: fault the pages in readable, like a read of each (Linux 5.14+). */
    POPULATE_READ(Native.ADV_POPULATE_READ),
    /** {@code MADV_POPULATE_WRITE}: fault the pages in writable, like a write of each (Linux 5.14+). */
    POPULATE_WRITE(Native.ADV_POPULATE_WRITE),
    /** {@code MADV_WIPEONFORK}: a forked child sees zeros here (Linux 4.14+, private anonymous). */
    WIPEONFORK(Native.ADV_WIPEONFORK),
    /** {@code MADV_KEEPONFORK}: undo {@link #WIPEONFORK} (Linux). */
    KEEPONFORK(Native.ADV_KEEPONFORK),
    /** {@code MADV_COLLAPSE}: collapse the range into huge pages now (Linux 6.1+). */
    COLLAPSE(Native.ADV_COLLAPSE),
    /** {@code MADV_FREE_REUSABLE}: the pages may be reused; account them free (macOS). */
    FREE_REUSABLE(Native.ADV_FREE_REUSABLE),
    /** {@code MADV_FREE_REUSE}: the pages are in use again after {@link #FREE_REUSABLE} (macOS). */
    FREE_REUSE(Native.ADV_FREE_REUSE),
    /** {@code MADV_ZERO_WIRED_PAGES}: zero pages still wired (locked) when the range is unmapped (macOS). */
    ZERO_WIRED_PAGES(Native.ADV_ZERO_WIRED_PAGES);

    private final int code;
    /** The call's name in messages, made once: range calls must not build strings. */
    final String call;

    Advice(int code) {
        this.code = code;
        this.call = "madvise(" + name() + ")";
    }

    /**
     * Whether the running platform defines this advice.
     *
     * @return {@code true} when {@code madvise} can be asked for it here.
     */
    public boolean isSupported() {
        return (Platform.supportedAdvice() & (1L << code)) != 0;
    }

    /**
     * Whether this advice can destroy data (it may read back as zeros
     * afterwards, in this process or, for {@link #WIPEONFORK}, in a child).
     * mmap4j applies such advice only to the pages wholly inside the bytes
     * given, for every buffer: a partly covered page is left alone, since its
     * other bytes are not the caller's to discard.
     *
     * @return {@code true} for {@link #DONTNEED}, {@link #FREE}, {@link #REMOVE},
     *         {@link #WIPEONFORK} and {@link #FREE_REUSABLE}.
     */
    public boolean discardsData() {
        return this == DONTNEED || this == FREE || this == REMOVE || this == WIPEONFORK || this == FREE_REUSABLE;
    }

    int code() {
        return code;
    }
}
