/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The glibc/musl decision on sample {@code /proc/self/maps} and {@code os-release} files, and the override. */
class LibcTest {

    /** A Temurin JVM on Alpine: musl's loader is also its libc. */
    private static final String MUSL_MAPS = String.join("\n",
            "55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 5678   /opt/java/openjdk/bin/java",
            "7f1c3a000000-7f1c3a400000 r-xp 00000000 08:01 9012   /opt/java/openjdk/lib/server/libjvm.so",
            "7f1c3a6d0000-7f1c3a6e1000 r-xp 00000000 08:01 3456   /usr/lib/libz.so.1.3.1",
            "7f1c3a8d1000-7f1c3a8e5000 r--p 00000000 08:01 1234   /lib/ld-musl-x86_64.so.1",
            "7ffd1c9e0000-7ffd1ca01000 rw-p 00000000 00:00 0      [stack]");

    /** A Debian JVM on a host that also has the musl package (and a folder named after it). */
    private static final String GLIBC_MAPS = String.join("\n",
            "5601a1c00000-5601a1c01000 r--p 00000000 08:01 1111   /usr/lib/jvm/java-17-openjdk-amd64/bin/java",
            "7f5e2a000000-7f5e2a028000 r--p 00000000 08:01 2222   /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f5e2a400000-7f5e2a410000 r--p 00000000 08:01 3333   /opt/musl-cross/lib/libmmap4j-0123456789abcdef.so",
            "7f5e2a800000-7f5e2a82a000 r--p 00000000 08:01 4444   /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            "7ffc0b1e0000-7ffc0b201000 rw-p 00000000 00:00 0      [stack]");

    /** An executable that is no ELF file: the detection goes on to the maps. */
    private static final File NOT_ELF = new File("/dev/null");

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private Path missing() {
        return dir.resolve("missing");
    }

    private static boolean mapsShowMusl(String maps) throws IOException {
        return Libc.mapsShowMusl(new ByteArrayInputStream(maps.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void mapsWithMuslsLoaderMappedMeanMusl() throws IOException {
        assertTrue(mapsShowMusl(MUSL_MAPS));
        assertTrue(mapsShowMusl("7f00-7f10 r-xp 00000000 08:01 1 /lib/libc.musl-aarch64.so.1"));
        StringBuilder listing = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            listing.append(GLIBC_MAPS).append('\n');
        }
        assertTrue(mapsShowMusl(listing + MUSL_MAPS), "past the first 64 KiB read");
    }

    @Test
    void mapsOfAGlibcJvmMeanGlibcEvenWithMuslInAFolderName() throws IOException {
        assertFalse(mapsShowMusl(GLIBC_MAPS));
        assertFalse(mapsShowMusl(""));
    }

    @Test
    void osReleaseOfAlpineAndItsDerivativesMeansMusl() {
        assertEquals(Boolean.TRUE, Libc.osReleaseSaysMusl(Arrays.asList(
                "NAME=\"Alpine Linux\"", "ID=alpine", "VERSION_ID=3.20.3", "PRETTY_NAME=\"Alpine Linux v3.20\"")));
        assertEquals(Boolean.TRUE, Libc.osReleaseSaysMusl(Arrays.asList(
                "NAME=\"postmarketOS\"", "ID=\"postmarketos\"", "ID_LIKE=\"alpine\"")));
    }

    @Test
    void osReleaseOfAnotherDistributionMeansGlibcAndNoIdMeansUnknown() {
        assertEquals(Boolean.FALSE, Libc.osReleaseSaysMusl(Arrays.asList(
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"", "ID=debian", "HOME_URL=\"https://alpine.example/\"")));
        assertEquals(Boolean.FALSE, Libc.osReleaseSaysMusl(Arrays.asList("ID=ubuntu", "ID_LIKE=debian")));
        assertNull(Libc.osReleaseSaysMusl(Collections.singletonList("NAME=something")));
    }

    @Test
    void withoutAMuslLoaderInstalledItIsGlibcWithoutReadingMaps() throws IOException {
        assertFalse(Libc.isMusl(null, false, NOT_ELF, file("maps", MUSL_MAPS), file("os-release", "ID=alpine")));
    }

    @Test
    void withAMuslLoaderInstalledTheMapsDecide() throws IOException {
        Path alpine = file("os-release", "ID=alpine");
        assertTrue(Libc.isMusl(null, true, NOT_ELF, file("musl-maps", MUSL_MAPS), alpine));
        assertFalse(Libc.isMusl(null, true, NOT_ELF, file("glibc-maps", GLIBC_MAPS), alpine), "maps win over os-release");
    }

    @Test
    void withoutProcTheDistributionDecidesAndWithoutOneTheLoader() throws IOException {
        assertTrue(Libc.isMusl(null, true, NOT_ELF, missing(), file("alpine", "ID=alpine\n")));
        assertFalse(Libc.isMusl(null, true, NOT_ELF, missing(), file("debian", "ID=debian\n")));
        assertTrue(Libc.isMusl(null, true, NOT_ELF, missing(), missing()));
    }

    @Test
    void theOverrideWinsOverEveryDetection() throws IOException {
        Path muslMaps = file("musl-maps", MUSL_MAPS);
        Path glibcMaps = file("glibc-maps", GLIBC_MAPS);
        assertTrue(Libc.isMusl("musl", false, NOT_ELF, glibcMaps, missing()));
        assertTrue(Libc.isMusl(" MUSL ", true, NOT_ELF, glibcMaps, missing()));
        assertFalse(Libc.isMusl("glibc", true, NOT_ELF, muslMaps, missing()));
        assertFalse(Libc.isMusl("", false, NOT_ELF, muslMaps, missing()), "empty: detect");
    }

    @Test
    void anOverrideNamingNoLibcIsAnErrorThatSaysWhatToPass() {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> Libc.isMusl("uclibc", false, NOT_ELF, missing(), missing()));
        assertTrue(e.getMessage().startsWith("mmap4j: -Dmmap4j.libc=uclibc names no C library"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dmmap4j.libc=musl or -Dmmap4j.libc=glibc"), e.getMessage());
    }

    @Test
    void theMuslFolderIsTheGlibcFolderWithASuffixOnLinuxOnly() {
        assertEquals("natives/linux_64_musl/", Libc.folder("natives/linux_64/", "Linux", true));
        assertEquals("natives/linux_arm64_musl", Libc.folder("natives/linux_arm64", "Linux", true));
        assertEquals("natives/linux_64/", Libc.folder("natives/linux_64/", "Linux", false));
        assertEquals("natives/osx_arm64/", Libc.folder("natives/osx_arm64/", "Mac OS X", true));
    }

    /**
     * A minimal ELF file: its header, then one program header, {@code PT_INTERP} naming
     * {@code interpreter} (or {@code PT_LOAD}, naming none, when null), then the name.
     */
    private File elf(String name, boolean wide, boolean little, String interpreter) throws IOException {
        return elf(name, wide, little, interpreter, 0, 0);
    }

    /**
     * {@link #elf(String, boolean, boolean, String)} with {@code gap} bytes between the program
     * header and the name, cut short by {@code cut} bytes at the end.
     */
    private File elf(String name, boolean wide, boolean little, String interpreter, int gap, int cut)
            throws IOException {
        int headerSize = wide ? 64 : 52;
        int entrySize = wide ? 56 : 32;
        byte[] text = (interpreter == null ? "" : interpreter + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(headerSize + entrySize + gap + text.length + 256)
                .order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (wide ? 2 : 1), (byte) (little ? 1 : 2), 1});
        b.position(16);
        b.putShort((short) 2).putShort((short) 62).putInt(1); // ET_EXEC, EM_X86_64, EV_CURRENT
        if (wide) {
            b.putLong(0).putLong(headerSize).putLong(0).putInt(0).putShort((short) headerSize)
                    .putShort((short) entrySize).putShort((short) 1);
        } else {
            b.putInt(0).putInt(headerSize).putInt(0).putInt(0).putShort((short) headerSize)
                    .putShort((short) entrySize).putShort((short) 1);
        }
        b.position(headerSize);
        int type = interpreter == null ? 1 : 3; // PT_LOAD or PT_INTERP
        long at = headerSize + entrySize + gap;
        if (wide) {
            b.putInt(type).putInt(4).putLong(at).putLong(0).putLong(0).putLong(text.length).putLong(text.length)
                    .putLong(1);
        } else {
            b.putInt(type).putInt((int) at).putInt(0).putInt(0).putInt(text.length).putInt(text.length).putInt(4)
                    .putInt(1);
        }
        b.position((int) at);
        b.put(text);
        Path file = dir.resolve(name);
        Files.write(file, Arrays.copyOf(b.array(), b.position() - cut));
        return file.toFile();
    }

    @Test
    void theInterpreterIsReadFromTheElfProgramHeaders() throws IOException {
        assertEquals("/lib/ld-musl-x86_64.so.1", Libc.interpreter(elf("a", true, true, "/lib/ld-musl-x86_64.so.1")));
        assertEquals("/lib64/ld-linux-x86-64.so.2",
                Libc.interpreter(elf("b", true, true, "/lib64/ld-linux-x86-64.so.2")));
        assertEquals("/lib/ld-musl-armhf.so.1", Libc.interpreter(elf("c", false, false, "/lib/ld-musl-armhf.so.1")),
                "32-bit, big-endian");
        assertNull(Libc.interpreter(elf("static", true, true, null)), "linked statically: no interpreter");
        assertNull(Libc.interpreter(NOT_ELF));
        assertNull(Libc.interpreter(file("script", "#!/bin/sh\n").toFile()));
        assertNull(Libc.interpreter(missing().toFile()));
    }

    /** {@code file} with the byte at {@code at} set to 0x80 (the top bit of a little-endian 64-bit field ending there). */
    private static File patched(File file, int at) throws IOException {
        byte[] bytes = Files.readAllBytes(file.toPath());
        bytes[at] = (byte) 0x80;
        Files.write(file.toPath(), bytes);
        return file;
    }

    @Test
    void anInterpreterPastTheFirstBlockIsReadAndACutFileNamesNone() throws IOException {
        // The first read takes 4 KiB; a name beyond it is read on, a file that ends first names none.
        assertEquals("/lib/ld-musl-x86_64.so.1",
                Libc.interpreter(elf("far", true, true, "/lib/ld-musl-x86_64.so.1", 10_000, 0)));
        assertEquals("/lib/ld-musl-x86_64.so.1",
                Libc.interpreter(elf("edge", true, true, "/lib/ld-musl-x86_64.so.1", 4096 - 64 - 56 - 5, 0)),
                "a name across the first block's end");
        assertNull(Libc.interpreter(elf("cut", true, true, "/lib/ld-musl-x86_64.so.1", 10_000, 3)));
        assertNull(Libc.interpreter(elf("cut-near", true, true, "/lib/ld-musl-x86_64.so.1", 0, 3)));
        // Offsets with the top bit set (unsigned, so far beyond the file): no interpreter, no exception.
        assertNull(Libc.interpreter(patched(elf("far-table", true, true, "/lib/ld-musl-x86_64.so.1"), 32 + 7)));
        assertNull(Libc.interpreter(patched(elf("far-name", true, true, "/lib/ld-musl-x86_64.so.1"), 64 + 8 + 7)));
    }

    @Test
    void withAMuslLoaderInstalledTheExecutablesInterpreterDecidesBeforeTheMaps() throws IOException {
        Path muslMaps = file("musl-maps", MUSL_MAPS);
        Path glibcMaps = file("glibc-maps", GLIBC_MAPS);
        File musl = elf("musl-java", true, true, "/lib/ld-musl-x86_64.so.1");
        File glibc = elf("glibc-java", true, true, "/lib64/ld-linux-x86-64.so.2");
        assertTrue(Libc.isMusl(null, true, musl, glibcMaps, missing()));
        assertFalse(Libc.isMusl(null, true, glibc, muslMaps, missing()));
        assertTrue(Libc.isMusl(null, true, elf("static-java", true, true, null), muslMaps, missing()),
                "no interpreter: the maps decide");
        assertFalse(Libc.isMusl(null, false, musl, muslMaps, missing()), "no musl loader installed: glibc");
        assertFalse(Libc.isMusl("glibc", true, musl, muslMaps, missing()), "the override first");
    }

    /** This JVM's own executable names the loader of its C library. */
    @Test
    void thisJvmsExecutableNamesItsLoader() {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
        String interpreter = Libc.interpreter(new File("/proc/self/exe"));
        Assumptions.assumeTrue(interpreter != null, "a statically linked launcher");
        assertEquals(new File("/etc/alpine-release").exists(), interpreter.contains("/ld-musl-"), interpreter);
    }

    /** The real thing: on Alpine (the CI job's container) musl, on any other Linux here glibc. */
    @Test
    void thisJvmIsDetectedAsItsDistributionSays() {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
        Assumptions.assumeTrue(System.getProperty(Libc.PROPERTY) == null, "-D" + Libc.PROPERTY + " is set");
        assertEquals(new File("/etc/alpine-release").exists(), Libc.isMusl());
    }
}
