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
 * A packet capture with {@code tcpdump} (optionally inside a network namespace), and a reader for the file it
 * writes: IPv4 UDP and TCP packets with their capture time, addresses, ports, TCP flags and payload. Enough to
 * time SIP and FastAGI exchanges as the wire saw them.
 */
final class Pcap implements AutoCloseable {
    /** One IPv4 packet. {@code flags}: TCP flags (SYN 0x02, FIN 0x01, ...), 0 for UDP. */
    record Packet(long epochMicros, boolean tcp, String src, int srcPort, String dst, int dstPort, int flags, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }

        boolean syn() {
            return tcp && (flags & 0x12) == 0x02;
        }

        boolean fin() {
            return tcp && (flags & 0x01) != 0;
        }
    }

    private final Process tcpdump;
    private final Path file;

    /** Starts capturing on {@code device} ({@code netns} null: the host namespace) with a tcpdump filter. */
    Pcap(String netns, String device, String filter, Path file) throws IOException, InterruptedException {
        this.file = file;
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(List.of("tcpdump", "-i", device, "-s", "0", "-U", "-n", "-B", "8192", "--time-stamp-precision=nano",
                "-w", file.toString(), filter));
        Files.deleteIfExists(file);
        Path log = file.resolveSibling(file.getFileName() + ".log");
        tcpdump = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Bench.waitUntil(java.time.Duration.ofSeconds(10), () -> Files.exists(file) || !tcpdump.isAlive(), "tcpdump to start");
        Thread.sleep(500); // tcpdump writes its header before the capture is armed
        if (!tcpdump.isAlive()) {
            throw new IOException("tcpdump did not start: " + Files.readString(log));
        }
    }

    /** Stops the capture (tcpdump flushes on SIGTERM) and reads what it wrote. */
    List<Packet> stopAndRead() throws IOException, InterruptedException {
        Thread.sleep(200);
        tcpdump.destroy();
        tcpdump.waitFor(10, TimeUnit.SECONDS);
        return read(Files.readAllBytes(file));
    }

    static List<Packet> read(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap);
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b23c4d && magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        boolean nanos = magic == 0xa1b23c4d;
        int linkType = b.getInt(20);
        int pos = 24;
        List<Packet> packets = new ArrayList<>();
        while (pos + 16 <= pcap.length) {
            long seconds = Integer.toUnsignedLong(b.getInt(pos));
            long fraction = Integer.toUnsignedLong(b.getInt(pos + 4));
            int captured = b.getInt(pos + 8);
            int start = pos + 16;
            pos = start + captured;
            if (pos > pcap.length) {
                break; // cut short by the stop
            }
            long micros = seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction);
            int ip = linkType == 1 ? start + 14 : linkType == 113 ? start + 16 : linkType == 276 ? start + 20 : start;
            if (linkType == 1 && (((pcap[start + 12] & 0xff) << 8) | (pcap[start + 13] & 0xff)) != 0x0800) {
                continue;
            }
            if ((pcap[ip] >> 4 & 0xf) != 4) {
                continue;
            }
            int ipHeader = (pcap[ip] & 0xf) * 4;
            int totalLength = ((pcap[ip + 2] & 0xff) << 8) | (pcap[ip + 3] & 0xff);
            int protocol = pcap[ip + 9] & 0xff;
            String src = (pcap[ip + 12] & 0xff) + "." + (pcap[ip + 13] & 0xff) + "." + (pcap[ip + 14] & 0xff) + "." + (pcap[ip + 15] & 0xff);
            String dst = (pcap[ip + 16] & 0xff) + "." + (pcap[ip + 17] & 0xff) + "." + (pcap[ip + 18] & 0xff) + "." + (pcap[ip + 19] & 0xff);
            int l4 = ip + ipHeader;
            int srcPort = ((pcap[l4] & 0xff) << 8) | (pcap[l4 + 1] & 0xff);
            int dstPort = ((pcap[l4 + 2] & 0xff) << 8) | (pcap[l4 + 3] & 0xff);
            int payload;
            int flags = 0;
            boolean tcp;
            if (protocol == 6) {
                tcp = true;
                flags = pcap[l4 + 13] & 0xff;
                payload = l4 + (pcap[l4 + 12] >> 4 & 0xf) * 4;
            } else if (protocol == 17) {
                tcp = false;
                payload = l4 + 8;
            } else {
                continue;
            }
            int end = Math.min(ip + totalLength, pos);
            byte[] data = payload < end ? java.util.Arrays.copyOfRange(pcap, payload, end) : new byte[0];
            packets.add(new Packet(micros, tcp, src, srcPort, dst, dstPort, flags, data));
        }
        return packets;
    }

    @Override
    public void close() {
        tcpdump.destroy();
    }
}
