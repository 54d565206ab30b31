/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSLockFactory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Mmap4jDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/lucene.md's {@code Mmap4jDirectory}, run through Lucene 8.11 itself (issue 26, the docs page;
 * issue 25 item 8): an index written and searched, an empty file and an empty last chunk opened,
 * every file released once Lucene closed it, and a close racing readers of clones, where every read
 * that returns is the file's bytes and every other read throws {@link AlreadyClosedException}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LuceneDirectoryTest {

    @TempDir
    Path dir;

    /** Small chunks, so that Lucene's files span several views and reads cross them. */
    private static final int CHUNK_POWER = 12;

    private Directory open() throws Exception {
        return new Mmap4jDirectory(dir, FSLockFactory.getDefault(), CHUNK_POWER);
    }

    /** The lines of /proc/self/maps that map a file of {@link #dir}. */
    private List<String> mappedFilesOfDir() throws Exception {
        List<String> lines = new ArrayList<>();
        String prefix = dir.toRealPath().toString() + "/";
        for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            if (line.contains(prefix)) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void luceneWritesSearchesAndReleasesEveryFile() throws Exception {
        int docs = 3000;
        boolean procMaps = Files.isReadable(Paths.get("/proc/self/maps"));
        try (Directory directory = open()) {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()))) {
                for (int i = 0; i < docs; i++) {
                    Document doc = new Document();
                    doc.add(new StringField("id", "doc" + i, Field.Store.YES));
                    doc.add(new TextField("body", "word" + (i % 7) + " common text number " + i, Field.Store.YES));
                    writer.addDocument(doc);
                    if (i % 1000 == 999) {
                        writer.commit(); // several segments
                    }
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                assertEquals(docs, reader.numDocs());
                assertEquals(docs, searcher.count(new TermQuery(new Term("body", "common"))));
                assertEquals((docs + 6) / 7, searcher.count(new TermQuery(new Term("body", "word0"))));
                TopDocs hit = searcher.search(new TermQuery(new Term("id", "doc2345")), 1);
                assertEquals(1, hit.scoreDocs.length);
                Document stored = searcher.doc(hit.scoreDocs[0].doc);
                assertEquals("word0 common text number 2345", stored.get("body"));
                if (procMaps) {
                    assertTrue(!mappedFilesOfDir().isEmpty(), "an open reader maps the index's files through mmap4j");
                }
            }
            if (procMaps) { // Linux
                assertEquals(new ArrayList<String>(), mappedFilesOfDir(),
                        "every input Lucene closed released its file at once (the cleaner closed the region)");
            }
        }
    }

    @Test
    void anEmptyFileAndAnEmptyLastChunkOpen() throws Exception {
        byte[] chunk = new byte[1 << CHUNK_POWER];
        new Random(26).nextBytes(chunk);
        try (Directory directory = open()) {
            directory.createOutput("empty", IOContext.DEFAULT).close();
            try (IndexOutput out = directory.createOutput("onechunk", IOContext.DEFAULT)) {
                out.writeBytes(chunk, chunk.length);
            }
            try (IndexInput in = directory.openInput("empty", IOContext.DEFAULT)) {
                assertEquals(0, in.length());
                assertThrows(EOFException.class, in::readByte);
                assertEquals(0, in.clone().length());
                assertEquals(0, in.slice("none", 0, 0).length());
            }
            // Exactly one chunk: the second view is empty, as in MMapDirectory.
            try (IndexInput in = directory.openInput("onechunk", IOContext.DEFAULT)) {
                byte[] read = new byte[chunk.length];
                in.readBytes(read, 0, read.length);
                assertArrayEquals(chunk, read);
                assertThrows(EOFException.class, in::readByte);
                in.seek(chunk.length);
                assertEquals(chunk.length, in.getFilePointer());
                IndexInput tail = in.slice("tail", chunk.length - 8, 8);
                assertEquals(Arrays.toString(Arrays.copyOfRange(chunk, chunk.length - 8, chunk.length)),
                        Arrays.toString(new byte[] {tail.readByte(), tail.readByte(), tail.readByte(), tail.readByte(),
                            tail.readByte(), tail.readByte(), tail.readByte(), tail.readByte()}));
            }
        }
    }

    /** The first index where the arrays differ, or -1. */
    private static int firstDifference(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Readers of clones run while the input is closed, round after round: the JVM survives, every
     * read that returns holds the file's bytes, every other throws {@link AlreadyClosedException}.
     */
    @Test
    void aCloseRacingReadersNeverCrashesAndNoReadReturnsWrongBytes() throws Exception {
        int rounds = 20;
        int readers = 2;
        byte[] expected = new byte[16 << 20];
        new Random(25).nextBytes(expected);
        int accepted = 0;
        int overlapped = 0;
        int seenByIsOpen = 0;
        // One view (the default 1 GiB chunks: a read in flight returns zeros for its rest unless
        // checked) and 1 MiB views (a read crossing views meets Lucene's guard), round by round.
        try (Directory whole = new Mmap4jDirectory(dir);
                Directory chunked = new Mmap4jDirectory(dir, FSLockFactory.getDefault(), 20)) {
            try (IndexOutput out = whole.createOutput("race", IOContext.DEFAULT)) {
                out.writeBytes(expected, expected.length);
            }
            for (int round = 0; round < rounds; round++) {
                IndexInput in = (round % 2 == 0 ? whole : chunked).openInput("race", IOContext.DEFAULT);
                CountDownLatch eachReadOnce = new CountDownLatch(readers);
                AtomicInteger acceptedThisRound = new AtomicInteger();
                AtomicInteger overlappedThisRound = new AtomicInteger();
                AtomicInteger seenByIsOpenThisRound = new AtomicInteger();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                List<Thread> threads = new ArrayList<>();
                for (int r = 0; r < readers; r++) {
                    IndexInput clone = in.clone(); // one clone per thread, as Lucene requires
                    Thread thread = new Thread(() -> {
                        byte[] read = new byte[expected.length];
                        int mine = 0;
                        try {
                            while (true) {
                                Arrays.fill(read, (byte) 0x55);
                                clone.seek(0);
                                clone.readBytes(read, 0, read.length);
                                int bad = firstDifference(expected, read);
                                if (bad >= 0) {
                                    failure.compareAndSet(null, new AssertionError("a read returned without an exception,"
                                            + " but its bytes from " + bad + " on are not the file's"
                                            + (firstDifference(new byte[read.length - bad],
                                                    Arrays.copyOfRange(read, bad, read.length)) < 0 ? " (zeros)" : "")));
                                    return;
                                }
                                acceptedThisRound.incrementAndGet();
                                if (mine++ == 0) {
                                    eachReadOnce.countDown();
                                }
                            }
                        } catch (AlreadyClosedException expectedEnd) {
                            if (expectedEnd.getMessage().startsWith("Closed while reading")) {
                                overlappedThisRound.incrementAndGet();
                                if (expectedEnd.getCause() == null) {
                                    seenByIsOpenThisRound.incrementAndGet(); // not Lucene's guard: isOpen
                                }
                            }
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        } finally {
                            if (mine == 0) {
                                eachReadOnce.countDown(); // failed before its first read: do not wait
                            }
                        }
                    }, "lucene-reader-" + r);
                    threads.add(thread);
                    thread.start();
                }
                assertTrue(eachReadOnce.await(60, TimeUnit.SECONDS), "every reader read the file once");
                in.close(); // while the readers go on
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(60));
                    assertTrue(!thread.isAlive(), thread.getName() + " ended after the close");
                }
                if (failure.get() != null) {
                    throw new AssertionError("round " + round, failure.get());
                }
                accepted += acceptedThisRound.get();
                overlapped += overlappedThisRound.get();
                seenByIsOpen += seenByIsOpenThisRound.get();
            }
        }
        System.out.println("LuceneDirectoryTest: " + rounds + " rounds, " + accepted
                + " whole-file reads returned the file's bytes, " + overlapped
                + " reads overlapped the close and threw AlreadyClosedException (" + seenByIsOpen
                + " of them caught by the isOpen check alone)");
        assertTrue(accepted >= rounds * readers);
    }

    @Test
    void theDocumentShowsTheCodeThatRan() throws Exception {
        String source = new String(Files.readAllBytes(
                Paths.get("java/test/java/org/apache/lucene/store/Mmap4jDirectory.java")), StandardCharsets.UTF_8);
        String code = source.substring(source.indexOf("package "));
        String doc = new String(Files.readAllBytes(Paths.get("docs/lucene.md")), StandardCharsets.UTF_8);
        assertTrue(doc.contains("```java\n" + code + "```\n"),
                "docs/lucene.md must show Mmap4jDirectory.java from its package line on, verbatim");
    }
}
