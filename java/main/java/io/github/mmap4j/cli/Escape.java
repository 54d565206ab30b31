/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.nio.charset.StandardCharsets;

/**
 * File names for people, as {@code ls -b} shows them: a name can hold any byte
 * but {@code /} and NUL, so one with a newline would otherwise print as a row of
 * its own (a forged one), and one with terminal control sequences would drive
 * the terminal. Control characters become C escapes ({@code \n}, {@code \t},
 * ...) or octal bytes ({@code \033}), and a backslash is doubled, so every
 * escaped name reads back to exactly one name. JSON output escapes by its own
 * rules ({@link Json}).
 */
final class Escape {

    private Escape() {
    }

    /**
     * A name safe to print on one line of a terminal.
     *
     * @param name a file name or path.
     * @return {@code name} unchanged when nothing needs escaping.
     */
    static String name(String name) {
        int i = 0;
        while (i < name.length() && !needsEscape(name, i)) {
            i++;
        }
        if (i == name.length()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length() + 16).append(name, 0, i);
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            int n = Character.charCount(cp);
            if (!needsEscape(name, i)) {
                sb.appendCodePoint(cp);
            } else if (Character.isSurrogate(name.charAt(i)) && n == 1) {
                // No bytes to show (a Path decodes bad bytes to U+FFFD, never to these): the code unit.
                sb.append(String.format("\\u%04x", (int) name.charAt(i)));
            } else {
                escape(cp, sb);
            }
            i += n;
        }
        return sb.toString();
    }

    private static void escape(int cp, StringBuilder sb) {
        switch (cp) {
            case '\\': sb.append("\\\\"); return;
            case '\n': sb.append("\\n"); return;
            case '\t': sb.append("\\t"); return;
            case '\r': sb.append("\\r"); return;
            case 0x07: sb.append("\\a"); return;
            case '\b': sb.append("\\b"); return;
            case '\f': sb.append("\\f"); return;
            case 0x0b: sb.append("\\v"); return;
            default:
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('\\').append((char) ('0' + ((b >> 6) & 3))).append((char) ('0' + ((b >> 3) & 7)))
                            .append((char) ('0' + (b & 7)));
                }
        }
    }

    /**
     * Backslashes; C0, DEL and C1 controls; line and paragraph separators; format
     * characters (bidirectional overrides, zero-width characters: they make a
     * name look like another); unpaired surrogates.
     */
    private static boolean needsEscape(String s, int i) {
        char c = s.charAt(i);
        if (c == '\\' || Character.isISOControl(c)) {
            return true;
        }
        if (c < 0x80) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                return true;
            }
        } else if (Character.isLowSurrogate(c)) {
            // The low half of a pair was judged with its high half.
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        int type = Character.getType(s.codePointAt(i));
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT;
    }
}
