/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * mmap4j at the end of the process's descriptors and kernel mappings: it fails the call with
 * an {@link MmapException} and a hint, never leaves itself broken, and never takes the JVM's own
 * last resources. Each case in a child JVM ({@link ExhaustionChild}), under {@code prlimit} where
 * it lowers the descriptor limit so that filling it is quick.
 */
class ExhaustionTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theFirstMapWithNoDescriptorFreeIsEmfileAndMmap4jWorksOnceOneIsFree() throws Exception {
        run("first-map", withDescriptors(256));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theFirstUnmapWithNoDescriptorFreeWorksAndLeavesNothingBroken() throws Exception {
        run("first-unmap", withDescriptors(256));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void growableRegionsDroppedWithoutCloseGiveTheirDescriptorsBackWhenNeeded() throws Exception {
        run("dropped-regions", withDescriptors(256));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void mappingUpToALoweredLimitIsRefusedWithHeadroomLeft() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "vm.max_map_count is Linux's");
        run("map-count", none(), "-D" + Pressure.MAX_MAP_COUNT_PROPERTY + "=6000", "-Xms8m", "-Xmx256m");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void mappingUpToVmMaxMapCountNeverTakesWhatTheJvmNeeds() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "vm.max_map_count is Linux's");
        // mmap4j's collections while it holds more than its budget are not what this tests: asked
        // for every 4,000 mappings beyond 16,000, each waits half a second for nothing.
        run("map-count", none(), "-D" + Mappings.MAX_MAPPINGS_PROPERTY + "=1000000", "-Xms8m", "-Xmx256m");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void closedRangesWhoseCoversMergedAndThatNothingGivesBackForceOneCollectionThenNoneUntilFourTimesTheBound()
            throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "kernel mappings are counted on Linux");
        run("waiting-merged", none(), "-D" + Mappings.MAX_RETIRED_PROPERTY + "=1000", "-Xms256m", "-Xmn128m");
    }

    @Test
    void theMergedBoundStaysAtTheBoundAfterACheapCollectionThatGaveRangesBackAndRisesAfterAnyOther() {
        long cheap = Pressure.CHEAP_COLLECTION_NANOS;
        assertEquals(3_000 * Pressure.MAX_RETIRED, cheap, "3 us per range of the bound");
        assertEquals(Pressure.MAX_RETIRED, Pressure.mergedBoundAfter(0, true, true));
        assertEquals(Pressure.MAX_RETIRED, Pressure.mergedBoundAfter(cheap, true, true));
        assertEquals(Pressure.MAX_RETIRED_MERGED, Pressure.mergedBoundAfter(cheap + 1, true, true), "a dear collection");
        assertEquals(Pressure.MAX_RETIRED_MERGED, Pressure.mergedBoundAfter(0, true, false), "nothing came back");
        assertEquals(Pressure.MAX_RETIRED_MERGED, Pressure.mergedBoundAfter(cheap + 1, true, false));
        assertEquals(Pressure.MAX_RETIRED_MERGED, Pressure.mergedBoundAfter(0, false, true),
                "no collection (DisableExplicitGC); one of the JVM's own gave ranges back");
    }

    /**
     * {@code -XX:+DisableExplicitGC} (common in application servers): a forced collection takes no
     * time, and when one of the JVM's own gave ranges back during the map's wait the bound stayed
     * at the bound, so a map waited for reclaims every {@code maxRetired} closes (issue 27, noted in
     * the eighth pass).
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aSystemGcThatCollectsNothingRaisesTheBoundEvenWhenTheJvmsOwnCollectionGaveRangesBack() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "kernel mappings are counted on Linux");
        run("waiting-no-explicit-gc", none(), "-D" + Mappings.MAX_RETIRED_PROPERTY + "=1000",
                "-XX:+DisableExplicitGC", "-Xmx256m", "-Xmn8m");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void closedRangesAskForACollectionAtTheBoundWhenKernelMappingsAreScarce() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "kernel mappings are counted on Linux");
        run("waiting-scarce", none(), "-D" + Mappings.MAX_RETIRED_PROPERTY + "=1000",
                "-D" + Pressure.MAX_MAP_COUNT_PROPERTY + "=6000", "-Xms256m", "-Xmn128m");
    }

    /** The probe's other side: a collection that happened, cheap and giving ranges back, keeps the bound. */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aCheapSystemGcThatCollectedAndGaveRangesBackKeepsTheBound() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "kernel mappings are counted on Linux");
        // A fixed young generation: no collection of the JVM's own before the bound. The heap's pages
        // touched at start: on a machine with slow page faults, a JVM's first collection into untouched
        // pages took 49 ms of kernel time on JDK 8, the bound's "cheap" limit, and the child failed there
        // one run in two (about 30 ms with them touched, 5 of 5 runs).
        run("waiting-collected", none(), "-Xms128m", "-Xmx128m", "-Xmn48m", "-XX:+AlwaysPreTouch");
    }

    /** {@code prlimit} with this descriptor limit, or a skip where it is missing. */
    static List<String> withDescriptors(int limit) {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "descriptor limits are tested on Linux");
        assumeTrue(new File("/usr/bin/prlimit").canExecute() || new File("/bin/prlimit").canExecute(),
                "prlimit (util-linux) is not installed");
        return Arrays.asList("prlimit", "--nofile=" + limit + ":" + limit);
    }

    private ChildProcess.Result run(String scenario, List<String> wrapper, String... options) throws Exception {
        ChildProcess.Result r = ChildProcess.jvm(ExhaustionChild.class, scenario, dir.toString()).in(dir)
                .under(wrapper).options(options).timeout(170).run();
        System.out.println("[" + scenario + "]\n" + r.out.trim() + "\n" + r.err.trim());
        r.assertEndedNormally();
        assertTrue(r.out.contains("done"), r.toString());
        return r;
    }

    static List<String> none() {
        return Collections.emptyList();
    }
}
