/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.Buffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: no public method anywhere in the jar can unmap, protect or write an arbitrary address.
 * A parameter named {@code address} cannot be told from any other {@code long} by reflection, so
 * this checks the rules that make it so, over every class of {@code io/github/mmap4j/**} in the
 * built classes (target/classes, or the jar under {@code -Dmmap4j.testJar}): the natives and every
 * class that calls them are package-private, and {@code internal} and {@code cli} offer nothing
 * public but the loader's facts and the tool's entry point.
 */
class SurfaceTest {

    /** The public types {@code internal} keeps: loading the library and facts about it, touching no memory. */
    private static final Set<String> INTERNAL_PUBLIC = new HashSet<>(Arrays.asList(
            "io.github.mmap4j.internal.NativeLibrary", "io.github.mmap4j.internal.Jdk",
            "io.github.mmap4j.internal.NativeLibrary$DataMap", "io.github.mmap4j.internal.Threads",
            "io.github.mmap4j.internal.LoaderClasses"));
    /** Public methods there whose longs are file offsets ({@code lseek} for the tool), not addresses or ranges. */
    private static final Set<String> FILE_OFFSETS = new HashSet<>(Arrays.asList(
            "io.github.mmap4j.internal.NativeLibrary$DataMap.next"));
    /** The tool's one public type: {@code java -jar}'s {@code Main-Class}. */
    private static final Set<String> CLI_PUBLIC = new HashSet<>(Arrays.asList("io.github.mmap4j.cli.Main"));
    private static final String NATIVE = "io/github/mmap4j/Native";

    /** Every class of io/github/mmap4j/**: binary name to class-file bytes. */
    private static final Map<String, byte[]> CLASSES = new TreeMap<>();

    @BeforeAll
    static void readClasses() throws Exception {
        URL location = Mmap.class.getProtectionDomain().getCodeSource().getLocation();
        File root = new File(location.toURI());
        if (root.isDirectory()) {
            walk(root, new File(root, "io/github/mmap4j"));
        } else {
            try (JarFile jar = new JarFile(root)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().startsWith("io/github/mmap4j/") && entry.getName().endsWith(".class")) {
                        byte[] bytes = new byte[(int) entry.getSize()];
                        try (DataInputStream in = new DataInputStream(jar.getInputStream(entry))) {
                            in.readFully(bytes);
                        }
                        CLASSES.put(binaryName(entry.getName()), bytes);
                    }
                }
            }
        }
        assertTrue(CLASSES.containsKey("io.github.mmap4j.Mmap"), "no classes under " + root);
    }

    private static void walk(File root, File dir) throws IOException {
        File[] files = dir.listFiles();
        if (files == null) {
            return;
        }
        for (File f : files) {
            if (f.isDirectory()) {
                walk(root, f);
            } else if (f.getName().endsWith(".class")) {
                String relative = root.toURI().relativize(f.toURI()).getPath();
                CLASSES.put(binaryName(relative), Files.readAllBytes(f.toPath()));
            }
        }
    }

    private static String binaryName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    /** Loaded without initialising (Native's initialiser would load the library). */
    private static Class<?> load(String name) throws ClassNotFoundException {
        return Class.forName(name, false, SurfaceTest.class.getClassLoader());
    }

    /** Public to any code: public itself and, if nested, inside public classes only. */
    private static boolean reachable(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void nativeIsPackagePrivateWithNothingPublic() throws Exception {
        Class<?> natives = load(NATIVE.replace('/', '.'));
        assertFalse(Modifier.isPublic(natives.getModifiers()), "Native is public");
        List<Member> members = new ArrayList<>();
        members.addAll(Arrays.asList(natives.getDeclaredMethods()));
        members.addAll(Arrays.asList(natives.getDeclaredFields()));
        members.addAll(Arrays.asList(natives.getDeclaredConstructors()));
        for (Member m : members) {
            assertFalse(Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()),
                    "Native." + m.getName() + " is public");
        }
    }

    /**
     * No native can be called from outside its package: each is declared in a class no outside code
     * reaches ({@code Native}), or is itself neither public nor protected ({@code NativeLibrary}'s
     * natives that touch no memory, private or package-private since issue 27's tenth pass, so that
     * a first map loads no class of their own). Only {@code NativeLibrary} may hold the second kind.
     */
    @Test
    void noNativeMethodIsReachableFromOutsideItsPackage() throws Exception {
        List<String> wrong = new ArrayList<>();
        int declaring = 0;
        for (String name : CLASSES.keySet()) {
            Class<?> c = load(name);
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isNative(m.getModifiers())) {
                    declaring++;
                    boolean open = Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
                    if (reachable(c) && (open || !name.equals("io.github.mmap4j.internal.NativeLibrary"))) {
                        wrong.add(name + "." + m.getName());
                    }
                }
            }
        }
        assertTrue(declaring > 0, "no native method found in " + CLASSES.size() + " classes");
        assertEquals(new ArrayList<String>(), wrong, "natives reachable from outside their package");
    }

    /** The natives are reached only through package-private classes: the engine that checks ranges. */
    @Test
    void noPublicClassCallsNative() throws Exception {
        List<String> callers = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : CLASSES.entrySet()) {
            if (!e.getKey().equals(NATIVE.replace('/', '.')) && callsNative(e.getValue())) {
                callers.add(e.getKey());
                if (reachable(load(e.getKey()))) {
                    wrong.add(e.getKey());
                }
            }
        }
        assertTrue(callers.contains("io.github.mmap4j.Mappings"), "callers found: " + callers);
        assertEquals(new ArrayList<String>(), wrong, "public classes calling Native");
    }

    @Test
    void internalOffersOnlyTheLoader() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String name : CLASSES.keySet()) {
            Class<?> c = load(name);
            if (!reachable(c)) {
                continue;
            }
            String pkg = name.substring(0, name.lastIndexOf('.'));
            if (pkg.equals("io.github.mmap4j.internal") && !INTERNAL_PUBLIC.contains(name)
                    || pkg.equals("io.github.mmap4j.cli") && !CLI_PUBLIC.contains(name)) {
                wrong.add(name);
            }
        }
        assertEquals(new ArrayList<String>(), wrong, "public types beyond the allow-lists");
        // What the allow-listed types offer takes and returns no long or buffer (an address or a range).
        for (String name : INTERNAL_PUBLIC) {
            Class<?> c = load(name);
            for (Method m : c.getDeclaredMethods()) {
                // A bridge method (a generic interface's erased signature) calls the typed one checked here.
                if (Modifier.isPublic(m.getModifiers()) && !m.isBridge()
                        && !FILE_OFFSETS.contains(name + "." + m.getName())) {
                    assertNoAddress(name + "." + m.getName(), m.getReturnType());
                    assertNoAddress(name + "." + m.getName(), m.getParameterTypes());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                assertFalse(Modifier.isPublic(k.getModifiers()), name + " has a public constructor");
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    assertNoAddress(name + "." + f.getName(), f.getType());
                }
            }
        }
    }

    private static void assertNoAddress(String what, Class<?>... types) {
        for (Class<?> t : types) {
            assertFalse(t == long.class || t == Long.class || Buffer.class.isAssignableFrom(t)
                    || t == Object.class, what + " takes or returns " + t.getName());
        }
    }

    /** Whether the class file has a method reference to {@link #NATIVE} in its constant pool. */
    private static boolean callsNative(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        List<Integer> methodClasses = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: // Utf8
                    utf8[i] = in.readUTF();
                    break;
                case 7: // Class
                    classNames[i] = in.readUnsignedShort();
                    break;
                case 10: // Methodref
                case 11: // InterfaceMethodref
                    methodClasses.add(in.readUnsignedShort());
                    in.readUnsignedShort();
                    break;
                case 9: // Fieldref
                case 12: // NameAndType
                case 17: // Dynamic
                case 18: // InvokeDynamic
                case 3: // Integer
                case 4: // Float
                    in.readInt();
                    break;
                case 5: // Long
                case 6: // Double
                    in.readLong();
                    i++;
                    break;
                case 8: // String
                case 16: // MethodType
                case 19: // Module
                case 20: // Package
                    in.readUnsignedShort();
                    break;
                case 15: // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                    break;
                default:
                    throw new IOException("constant pool tag " + tag);
            }
        }
        for (int index : methodClasses) {
            if (NATIVE.equals(utf8[classNames[index]])) {
                return true;
            }
        }
        return false;
    }
}
