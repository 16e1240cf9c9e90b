package org.tollguard.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The AMI stream as the wire saw it: {@code tcpdump} on the PBX's management interface, then the TCP stream
 * from port 5038 put back together and cut into frames, each stamped with the capture time of the packet that
 * completed it. This is the moment the event reached the agent's host, before any of the agent's code ran.
 */
final class AmiCapture implements AutoCloseable {
    /** One AMI frame (event or response) and when its last byte was on the wire (epoch microseconds). */
    record Frame(long epochMicros, String text) {
        String header(String name) {
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).strip();
                }
            }
            return null;
        }
    }

    private final Process tcpdump;
    private final Path file;

    AmiCapture(String netns, String device, Path file) throws IOException, InterruptedException {
        this.file = file;
        tcpdump = new ProcessBuilder("ip", "netns", "exec", netns, "tcpdump", "-i", device, "-s", "0", "-U", "-n",
                "--time-stamp-precision=nano", "-w", file.toString(), "tcp src port 5038")
                .redirectErrorStream(true).redirectOutput(file.resolveSibling(file.getFileName() + ".log").toFile()).start();
        Bench.waitUntil(java.time.Duration.ofSeconds(10), () -> Files.exists(file) || !tcpdump.isAlive(), "tcpdump to start");
        Thread.sleep(500); // tcpdump writes its header before the capture is armed
        if (!tcpdump.isAlive()) {
            throw new IOException("tcpdump did not start: " + Files.readString(file.resolveSibling(file.getFileName() + ".log")));
        }
    }

    /**
     * Stops the capture and returns the frames of the AMI connections to {@code clientPorts} (the agent's security
     * stream and asterisk-java's) that {@code keep} accepts, each connection put back together on its own, in
     * capture order. The capture is mapped, not read into the heap: with a background scan it holds hundreds of MB.
     */
    List<Frame> stopAndRead(List<Integer> clientPorts, java.util.function.Predicate<String> keep)
            throws IOException, InterruptedException {
        Thread.sleep(200);
        tcpdump.destroy(); // SIGTERM: tcpdump flushes and exits
        tcpdump.waitFor(10, TimeUnit.SECONDS);
        List<Frame> all = new ArrayList<>();
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            ByteBuffer pcap = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, channel.size());
            for (int port : clientPorts) {
                all.addAll(frames(pcap, port, keep));
            }
        }
        all.sort(java.util.Comparator.comparingLong(Frame::epochMicros));
        return all;
    }

    static List<Frame> frames(ByteBuffer pcap, int clientPort, java.util.function.Predicate<String> keep) {
        ByteBuffer b = pcap.duplicate();
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b23c4d && magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        boolean nanos = magic == 0xa1b23c4d;
        int linkType = b.getInt(20);
        int pos = 24;
        int size = b.limit();
        ByteBuffer net = pcap.duplicate().order(ByteOrder.BIG_ENDIAN); // IP and TCP fields
        List<Frame> frames = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        byte[] segment = new byte[65536];
        long nextSeq = -1;
        while (pos + 16 <= size) {
            long seconds = Integer.toUnsignedLong(b.getInt(pos));
            long fraction = Integer.toUnsignedLong(b.getInt(pos + 4));
            int captured = b.getInt(pos + 8);
            int start = pos + 16;
            pos = start + captured;
            long micros = seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction);
            int ip = linkType == 1 ? start + 14 : linkType == 113 ? start + 16 : linkType == 276 ? start + 20 : start;
            if ((b.get(ip) >> 4 & 0xf) != 4) {
                continue;
            }
            int ipHeader = (b.get(ip) & 0xf) * 4;
            int totalLength = net.getShort(ip + 2) & 0xffff;
            int tcp = ip + ipHeader;
            int dstPort = net.getShort(tcp + 2) & 0xffff;
            if (dstPort != clientPort) {
                continue;
            }
            long seq = Integer.toUnsignedLong(net.getInt(tcp + 4));
            int tcpHeader = (b.get(tcp + 12) >> 4 & 0xf) * 4;
            int payload = tcp + tcpHeader;
            int length = ip + totalLength - payload;
            if (length <= 0) {
                continue;
            }
            if (nextSeq >= 0 && seq != nextSeq) {
                long skip = (nextSeq - seq) & 0xffffffffL;
                if (skip >= length || skip > 1 << 30) {
                    continue; // a retransmission we already have (or a gap we cannot fill)
                }
                payload += (int) skip;
                length -= (int) skip;
                seq = nextSeq;
            }
            nextSeq = (seq + length) & 0xffffffffL;
            b.get(payload, segment, 0, length);
            pending.append(new String(segment, 0, length, StandardCharsets.ISO_8859_1));
            int end;
            int consumed = 0;
            while ((end = pending.indexOf("\r\n\r\n", consumed)) >= 0) {
                String frame = pending.substring(consumed, end + 2);
                if (keep.test(frame)) {
                    frames.add(new Frame(micros, frame));
                }
                consumed = end + 4;
            }
            pending.delete(0, consumed);
        }
        return frames;
    }

    @Override
    public void close() {
        tcpdump.destroy();
    }
}
