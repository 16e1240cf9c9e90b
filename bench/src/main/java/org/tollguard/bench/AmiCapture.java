package org.tollguard.bench;

import java.io.ByteArrayOutputStream;
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
     * stream and asterisk-java's), each connection put back together on its own, in capture order.
     */
    List<Frame> stopAndRead(List<Integer> clientPorts) throws IOException, InterruptedException {
        Thread.sleep(200);
        tcpdump.destroy(); // SIGTERM: tcpdump flushes and exits
        tcpdump.waitFor(10, TimeUnit.SECONDS);
        byte[] pcap = Files.readAllBytes(file);
        List<Frame> all = new ArrayList<>();
        for (int port : clientPorts) {
            all.addAll(frames(pcap, port));
        }
        all.sort(java.util.Comparator.comparingLong(Frame::epochMicros));
        return all;
    }

    static List<Frame> frames(byte[] pcap, int clientPort) {
        ByteBuffer b = ByteBuffer.wrap(pcap);
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b23c4d && magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        boolean nanos = magic == 0xa1b23c4d;
        int linkType = b.getInt(20);
        int pos = 24;
        List<Frame> frames = new ArrayList<>();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        long nextSeq = -1;
        while (pos + 16 <= pcap.length) {
            long seconds = Integer.toUnsignedLong(b.getInt(pos));
            long fraction = Integer.toUnsignedLong(b.getInt(pos + 4));
            int captured = b.getInt(pos + 8);
            int start = pos + 16;
            pos = start + captured;
            long micros = seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction);
            int ip = linkType == 1 ? start + 14 : linkType == 113 ? start + 16 : linkType == 276 ? start + 20 : start;
            if ((pcap[ip] >> 4 & 0xf) != 4) {
                continue;
            }
            int ipHeader = (pcap[ip] & 0xf) * 4;
            int totalLength = ((pcap[ip + 2] & 0xff) << 8) | (pcap[ip + 3] & 0xff);
            int tcp = ip + ipHeader;
            int dstPort = ((pcap[tcp + 2] & 0xff) << 8) | (pcap[tcp + 3] & 0xff);
            if (dstPort != clientPort) {
                continue;
            }
            long seq = Integer.toUnsignedLong(ByteBuffer.wrap(pcap, tcp + 4, 4).getInt());
            int tcpHeader = (pcap[tcp + 12] >> 4 & 0xf) * 4;
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
            pending.write(pcap, payload, length);
            String text = pending.toString(StandardCharsets.ISO_8859_1);
            int end;
            int consumed = 0;
            while ((end = text.indexOf("\r\n\r\n", consumed)) >= 0) {
                frames.add(new Frame(micros, text.substring(consumed, end + 2)));
                consumed = end + 4;
            }
            pending.reset();
            pending.write(text.substring(consumed).getBytes(StandardCharsets.ISO_8859_1), 0, text.length() - consumed);
        }
        return frames;
    }

    @Override
    public void close() {
        tcpdump.destroy();
    }
}
