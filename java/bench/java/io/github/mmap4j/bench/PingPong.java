/*
 * Copyright 2026 The mmap4j Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.mmap4j.bench;

import io.github.mmap4j.Atomics;
import io.github.mmap4j.Futex;
import io.github.mmap4j.Mmap;
import io.github.mmap4j.SharedMemory;
import io.github.mmap4j.MapMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Case 7: the round trip of a ping-pong between two processes, each waiting for the other's
 * answer. Three of the contenders share one cache line of a {@link SharedMemory} object:
 * {@code PingPongSpin.mmap4j} spins on the word, {@code PingPongYield.mmap4j} spins calling
 * {@code Thread.yield()} (for a machine with fewer free cores than spinners),
 * {@code PingPongFutex.mmap4j} sleeps with {@link Futex#await} and wakes the other side with
 * {@link Futex#wake}. The C baseline ({@code native/bench/baseline.c}, {@code PingPongSpin.c},
 * {@code PingPongYield.c}, {@code PingPongFutex.c}) runs the same protocol between two forked
 * processes with C11 atomics, {@code sched_yield} and raw {@code futex} calls. The other
 * two are what a JVM uses without mmap4j: a one-byte echo over loopback TCP
 * ({@code PingPongTcp.jdk}, blocking {@code java.net.Socket}, {@code TCP_NODELAY}) and over a
 * Unix-domain {@code SocketChannel} ({@code PingPongUnix.jdk}, JDK 16+).
 *
 * <p>The protocol on the word (an {@code int}, 0 at the start): the pinger writes
 * {@code last + 1} (odd) and waits for {@code last + 2}; the ponger waits for a value other
 * than the one it wrote last and answers it plus one; {@code -1} stops it. Writes are release
 * stores, reads volatile (acquire) loads; with wait/wake each write is followed by
 * {@code wake(1)} and each wait is {@code await} while the word holds what was read.
 *
 * <p>Timing as in the C baseline and JMH: warm-up iterations, then measured ones of a fixed
 * length, each the elapsed time over the round trips made in batches; the mean and its 99.9%
 * interval go to a CSV in JMH's columns. Usage:
 * {@code PingPong <out.csv> <warmup its> <measured its> <ms per it> <case>...} with cases
 * {@code spin yield futex tcp unix}; the ponger is {@code PingPong pong <case> <endpoint>}.
 */
public final class PingPong {

    private static final int STOP = -1;
    private static final int SPIN = 0;
    private static final int YIELD = 1;
    private static final int FUTEX = 2;

    /** One side of a ping-pong: a round trip, and the end. */
    private interface Side {
        void roundTrip() throws Exception;

        void close() throws Exception;
    }

    private PingPong() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("pong")) {
            pong(args[1], args[2]);
            return;
        }
        Path out = Paths.get(args[0]);
        int warmups = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        long iterationNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            csv.println("\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\"");
            for (String c : Arrays.asList(args).subList(4, args.length)) {
                if (c.equals("unix") && javaMajor() < 16) {
                    System.err.println("pingpong: no Unix-domain SocketChannel before JDK 16, skipped");
                    continue;
                }
                Side side = start(c);
                try {
                    measure(csv, name(c), side, warmups, measured, iterationNs);
                } finally {
                    side.close();
                }
            }
        }
    }

    private static String name(String c) {
        switch (c) {
            case "spin":
                return "PingPongSpin.mmap4j";
            case "yield":
                return "PingPongYield.mmap4j";
            case "futex":
                return "PingPongFutex.mmap4j";
            case "tcp":
                return "PingPongTcp.jdk";
            case "unix":
                return "PingPongUnix.jdk";
            default:
                throw new IllegalArgumentException("unknown case " + c);
        }
    }

    // ------------------------------------------------------------------ timing, as baseline.c's measure()

    private static void measure(PrintWriter csv, String name, Side side, int warmups, int measured,
                                long iterationNs) throws Exception {
        long batch = 1;
        for (;;) {
            long t0 = System.nanoTime();
            for (long i = 0; i < batch; i++) {
                side.roundTrip();
            }
            if (System.nanoTime() - t0 >= 200_000 || batch >= 1L << 40) {
                break;
            }
            batch *= 2;
        }
        double[] scores = new double[measured];
        for (int it = 0; it < warmups + measured; it++) {
            long start = System.nanoTime();
            long end;
            long calls = 0;
            do {
                for (long i = 0; i < batch; i++) {
                    side.roundTrip();
                }
                calls += batch;
                end = System.nanoTime();
            } while (end - start < iterationNs);
            double score = (double) (end - start) / calls;
            if (it >= warmups) {
                scores[it - warmups] = score;
            }
            System.err.printf(Locale.ROOT, "pingpong: %s %s %d: %.1f ns/round trip%n", name,
                    it < warmups ? "warmup" : "iteration", it < warmups ? it + 1 : it - warmups + 1, score);
        }
        double mean = 0;
        for (double s : scores) {
            mean += s;
        }
        mean /= measured;
        double var = 0;
        for (double s : scores) {
            var += (s - mean) * (s - mean);
        }
        double error = measured > 1 ? t999(measured - 1) * Math.sqrt(var / (measured - 1)) / Math.sqrt(measured)
                : Double.NaN;
        csv.printf(Locale.ROOT, "\"io.github.mmap4j.bench.%s\",\"avgt\",1,%d,%.6f,%.6f,\"ns/op\"%n", name, measured,
                mean, error);
        csv.flush();
    }

    /** Two-sided Student t quantile for 99.9% (JMH's error column), as in baseline.c. */
    private static double t999(int df) {
        double[] t = {0, 636.62, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587, 4.437, 4.318,
            4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850};
        return df < 1 ? Double.NaN : df <= 20 ? t[df] : 3.291 + 2.0 / df;
    }

    // ------------------------------------------------------------------ the pinger's side

    private static Side start(String c) throws Exception {
        switch (c) {
            case "spin":
                return shared(c, SPIN);
            case "yield":
                return shared(c, YIELD);
            case "futex":
                return shared(c, FUTEX);
            case "tcp":
                return tcp();
            case "unix":
                return unix();
            default:
                throw new IllegalArgumentException("unknown case " + c);
        }
    }

    private static Side shared(String c, int how) throws Exception {
        String name = "/mmap4j-pingpong-" + System.nanoTime() % 1_000_000_000L;
        ByteBuffer shm = SharedMemory.create(name, 4096);
        Process ponger = child(c, name);
        return new Side() {
            int last;

            @Override
            public void roundTrip() throws Exception {
                int ping = last + 1;
                publish(shm, ping, how);
                last = waitFor(shm, ping, how);
            }

            @Override
            public void close() throws Exception {
                publish(shm, STOP, how);
                ponger.waitFor();
                Mmap.unmap(shm);
                SharedMemory.unlink(name);
            }
        };
    }

    private static void publish(ByteBuffer shm, int value, int how) throws IOException {
        Atomics.setIntRelease(shm, 0, value);
        if (how == FUTEX) {
            Futex.wake(shm, 0, 1);
        }
    }

    /** Waits until the word holds something other than {@code last}; returns it. */
    private static int waitFor(ByteBuffer shm, int last, int how) throws Exception {
        int v;
        while ((v = Atomics.getIntVolatile(shm, 0)) == last) {
            if (how == YIELD) {
                Thread.yield();
            } else if (how == FUTEX) {
                Futex.await(shm, 0, last, 1, TimeUnit.SECONDS);
            }
        }
        return v;
    }

    private static Side tcp() throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Process ponger = child("tcp", String.valueOf(server.getLocalPort()));
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        server.close();
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        return new Side() {
            @Override
            public void roundTrip() throws Exception {
                out.write(1);
                if (in.read() < 0) {
                    throw new IOException("the ponger went away");
                }
            }

            @Override
            public void close() throws Exception {
                socket.close();
                ponger.waitFor();
            }
        };
    }

    private static Side unix() throws Exception {
        Path path = Files.createTempDirectory("mmap4j-pingpong").resolve("socket");
        ServerSocketChannel server = (ServerSocketChannel) ServerSocketChannel.class
                .getMethod("open", java.net.ProtocolFamily.class).invoke(null, unixFamily());
        server.bind(unixAddress(path));
        Process ponger = child("unix", path.toString());
        SocketChannel channel = server.accept();
        server.close();
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        return new Side() {
            @Override
            public void roundTrip() throws Exception {
                sendOne(channel, one);
                one.clear();
                if (channel.read(one) < 0) {
                    throw new IOException("the ponger went away");
                }
            }

            @Override
            public void close() throws Exception {
                channel.close();
                ponger.waitFor();
                Files.deleteIfExists(path);
                Files.deleteIfExists(path.getParent());
            }
        };
    }

    private static void sendOne(SocketChannel channel, ByteBuffer one) throws IOException {
        one.clear();
        one.put(0, (byte) 1);
        channel.write(one);
    }

    /** JDK 16+ API through reflection: these classes are compiled for Java 8 too. */
    private static java.net.ProtocolFamily unixFamily() {
        return StandardProtocolFamily.valueOf("UNIX");
    }

    private static SocketAddress unixAddress(Path path) throws Exception {
        return (SocketAddress) Class.forName("java.net.UnixDomainSocketAddress").getMethod("of", Path.class)
                .invoke(null, path);
    }

    private static Process child(String c, String endpoint) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (javaMajor() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), PingPong.class.getName(), "pong",
                c, endpoint));
        return new ProcessBuilder(command).inheritIO().start();
    }

    private static int javaMajor() {
        String v = System.getProperty("java.specification.version");
        return v.startsWith("1.") ? Integer.parseInt(v.substring(2)) : Integer.parseInt(v.split("\\.")[0]);
    }

    // ------------------------------------------------------------------ the ponger's side

    private static void pong(String c, String endpoint) throws Exception {
        switch (c) {
            case "spin":
            case "yield":
            case "futex":
                ByteBuffer shm = SharedMemory.open(endpoint, MapMode.READ_WRITE);
                int how = c.equals("spin") ? SPIN : c.equals("yield") ? YIELD : FUTEX;
                int last = 0;
                for (;;) {
                    int v = waitFor(shm, last, how);
                    if (v == STOP) {
                        break;
                    }
                    last = v + 1;
                    publish(shm, last, how);
                }
                Mmap.unmap(shm);
                return;
            case "tcp":
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(endpoint))) {
                    socket.setTcpNoDelay(true);
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    while (in.read() >= 0) {
                        out.write(1);
                    }
                }
                return;
            case "unix":
                try (SocketChannel channel = (SocketChannel) SocketChannel.class
                        .getMethod("open", java.net.ProtocolFamily.class).invoke(null, unixFamily())) {
                    channel.connect(unixAddress(Paths.get(endpoint)));
                    ByteBuffer one = ByteBuffer.allocateDirect(1);
                    while (channel.read(one) >= 0) {
                        sendOne(channel, one);
                        one.clear();
                    }
                }
                return;
            default:
                throw new IllegalArgumentException("unknown case " + c);
        }
    }
}
