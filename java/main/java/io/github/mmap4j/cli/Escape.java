/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names for people, as {@code ls -b} shows them: a name can hold any byte
 * but {@code /} and NUL, so one with a newline would otherwise print as a row of
 * its own (a forged one), and one with terminal control sequences would drive
 * the terminal. Control characters become C escapes ({@code \n}, {@code \t},
 * ...) or octal bytes ({@code \033}), and a backslash is doubled, so every
 * escaped name reads back to exactly one name. A byte that is not part of
 * valid UTF-8 becomes an octal byte too, and so does, as {@code ls -b} shows it in
 * the C locale, a character the tool's output cannot encode. JSON output escapes
 * by its own rules ({@link Json}).
 */
final class Escape {

    /** The charset of the tool's output ({@link #outputCharset}); UTF-8 encodes everything. */
    private static volatile Charset output = StandardCharsets.UTF_8;

    private Escape() {
    }

    /**
     * Sets the charset standard output and error encode with, once, from {@link Main#main}:
     * characters it lacks are escaped rather than printed as {@code ?}.
     */
    static void outputCharset(Charset charset) {
        output = charset;
    }

    /** Whether the tool's output can show this character as itself. */
    static boolean encodable(char c) {
        Charset charset = output;
        return c < 0x80 || charset.name().startsWith("UTF-") || charset.newEncoder().canEncode(c);
    }

    /**
     * A path safe to print on one line: its name as {@link #name} escapes it, or, when its string
     * does not show its bytes (U+FFFD), its bytes as {@link #bytes} escapes them.
     *
     * @param path a path.
     * @return the path for people.
     */
    static String path(Path path) {
        byte[] raw = RawNames.bytes(path);
        return raw == null ? name(path.toString()) : bytes(raw);
    }

    /**
     * A name given as bytes: UTF-8 sequences as {@link #name} escapes their characters, every other
     * byte in octal ({@code \377}).
     *
     * @param raw the bytes.
     * @return the name for people.
     */
    static String bytes(byte[] raw) {
        StringBuilder sb = new StringBuilder(raw.length + 16);
        for (int i = 0; i < raw.length; ) {
            int n = utf8Length(raw, i);
            if (n == 0) {
                octal(raw[i], sb);
                i++;
            } else {
                sb.append(name(new String(raw, i, n, StandardCharsets.UTF_8)));
                i += n;
            }
        }
        return sb.toString();
    }

    /** The length of the valid UTF-8 sequence at {@code i} (no overlong forms, no surrogates), or 0. */
    private static int utf8Length(byte[] b, int i) {
        int lead = b[i] & 0xff;
        int n;
        int lo = 0x80;
        int hi = 0xbf;
        if (lead < 0x80) {
            return 1;
        } else if (lead >= 0xc2 && lead <= 0xdf) {
            n = 2;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            n = 3;
            lo = lead == 0xe0 ? 0xa0 : 0x80;
            hi = lead == 0xed ? 0x9f : 0xbf;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            n = 4;
            lo = lead == 0xf0 ? 0x90 : 0x80;
            hi = lead == 0xf4 ? 0x8f : 0xbf;
        } else {
            return 0;
        }
        if (i + n > b.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            int c = b[i + k] & 0xff;
            if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf)) {
                return 0;
            }
        }
        return n;
    }

    private static void octal(byte b, StringBuilder sb) {
        sb.append('\\').append((char) ('0' + ((b >> 6) & 3))).append((char) ('0' + ((b >> 3) & 7)))
                .append((char) ('0' + (b & 7)));
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
                    octal(b, sb);
                }
        }
    }

    /**
     * Backslashes; C0, DEL and C1 controls; line and paragraph separators; format
     * characters (bidirectional overrides, zero-width characters: they make a
     * name look like another); unpaired surrogates; characters the output cannot encode.
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
        if (!encodable(c)) { // a pair's high half: the output cannot encode the pair either
            return true;
        }
        int type = Character.getType(s.codePointAt(i));
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT;
    }
}
