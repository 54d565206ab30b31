/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import io.github.mmap4j.ChildProcess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the tool in-process, with the same result as a child process ({@link ChildProcess}, which
 * runs it from the jar), and reads its JSON lines.
 */
final class Cli {

    private Cli() {
    }

    static ChildProcess.Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, "UTF-8"); PrintStream e = new PrintStream(err, true, "UTF-8")) {
            exit = Main.run(args, o, e);
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
        return new ChildProcess.Result(exit, new String(out.toByteArray(), StandardCharsets.UTF_8),
                new String(err.toByteArray(), StandardCharsets.UTF_8));
    }

    /** Writes {@code data} to {@code dir/name}, creating the directories on the way. */
    static Path write(Path dir, String name, byte[] data) throws IOException {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.write(path, data);
    }

    /** The JSON objects of a run's stdout, one per line, flat (strings, integers, booleans). */
    static List<Map<String, Object>> json(ChildProcess.Result run) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String line : run.out.split("\n")) {
            if (!line.isEmpty()) {
                objects.add(parse(line));
            }
        }
        return objects;
    }

    static Map<String, Object> parse(String line) {
        Map<String, Object> object = new LinkedHashMap<>();
        int[] at = {0};
        expect(line, at, '{');
        while (line.charAt(at[0]) != '}') {
            if (!object.isEmpty()) {
                expect(line, at, ',');
            }
            String key = string(line, at);
            expect(line, at, ':');
            char c = line.charAt(at[0]);
            if (c == '"') {
                object.put(key, string(line, at));
            } else {
                int start = at[0];
                while ("}, ".indexOf(line.charAt(at[0])) < 0) {
                    at[0]++;
                }
                String word = line.substring(start, at[0]);
                object.put(key, word.equals("true") || word.equals("false") ? (Object) Boolean.valueOf(word)
                        : (Object) Long.valueOf(word));
            }
        }
        if (at[0] != line.length() - 1) {
            throw new AssertionError("trailing text in " + line);
        }
        return object;
    }

    private static void expect(String s, int[] at, char c) {
        if (s.charAt(at[0]) != c) {
            throw new AssertionError("expected '" + c + "' at " + at[0] + " in " + s);
        }
        at[0]++;
    }

    private static String string(String s, int[] at) {
        expect(s, at, '"');
        StringBuilder b = new StringBuilder();
        for (char c = s.charAt(at[0]++); c != '"'; c = s.charAt(at[0]++)) {
            if (c == '\\') {
                char e = s.charAt(at[0]++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(at[0], at[0] + 4), 16)); at[0] += 4; break;
                    default: b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
