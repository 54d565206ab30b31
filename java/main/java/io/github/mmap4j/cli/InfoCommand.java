/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.Advice;
import io.github.mmap4j.MapFlag;
import io.github.mmap4j.Mmap;
import io.github.mmap4j.PageCache;
import io.github.mmap4j.Version;
import io.github.mmap4j.internal.NativeLibrary;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code info}: version, platform, page size, the loaded library, supported advice and flags. */
final class InfoCommand extends Command {

    InfoCommand() {
        super("info", Collections.<String>emptyList(),
                "Show version, platform, page size, native library, supported advice and map flags",
                "[--json]", "With --json, one JSON object.");
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) throws Options.UsageException {
        if (!options.paths.isEmpty()) {
            throw new Options.UsageException("info takes no paths");
        }
        List<String> advice = new ArrayList<>();
        for (Advice a : Advice.values()) {
            if (a.isSupported()) {
                advice.add(a.name());
            }
        }
        List<String> flags = new ArrayList<>();
        for (MapFlag f : MapFlag.values()) {
            if (f.isSupported()) {
                flags.add(f.name());
            }
        }
        String java = System.getProperty("java.version") + ", " + System.getProperty("java.vm.name");
        String platform = NativeLibrary.platform(); // loads the library, or throws why it cannot
        boolean fadvise = NativeLibrary.hasFadvise();
        if (options.json) {
            out.println(new Json().field("version", Version.VERSION).field("platform", platform)
                    .field("java", java).field("page_size", Mmap.pageSize())
                    .field("native_library", NativeLibrary.loadedFrom())
                    .field("native_build", NativeLibrary.loadedBuild()).field("fadvise", fadvise)
                    .field("cachestat", PageCache.hasCachestat())
                    .field("advice", String.join(" ", advice)).field("map_flags", String.join(" ", flags)));
            return 0;
        }
        out.println("mmap4j " + Version.VERSION);
        out.println("platform:       " + platform + " (Java " + java + ")");
        out.println("page size:      " + Mmap.pageSize());
        out.println("native library: " + NativeLibrary.loadedFrom());
        out.println("native build:   " + NativeLibrary.loadedBuild());
        out.println("advice:         " + String.join(" ", advice));
        out.println("map flags:      " + String.join(" ", flags));
        out.println("posix_fadvise:  " + (fadvise ? "yes" : "no (evict uses msync MS_INVALIDATE)"));
        out.println("cachestat:      " + (PageCache.hasCachestat() ? "yes" : "no (residency maps files for mincore)"));
        return 0;
    }
}
