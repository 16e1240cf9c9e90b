package org.tollguard.freeswitch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tollguard.freeswitch.esl.FakeFreeSwitch;
import org.tollguard.freeswitch.esl.FakeFreeSwitch.Conn;
import org.tollguard.freeswitch.esl.Frames;

/**
 * A FreeSWITCH for call scenarios, built from the real captures: the inbound Event Socket server the agent reads
 * ({@link FakeFreeSwitch}) plus the {@code socket} application that asks the agent's pre-dial server
 * ({@link FakeSocketApplication}). {@link #dial} places a call the way the dialplan include does: pre-dial check
 * first, and only if the channel is still up (allowed, or no verdict with fail mode open) its CHANNEL_CREATE; a
 * {@code uuid_kill} from the agent hangs the channel up and sends its CHANNEL_HANGUP_COMPLETE, as FreeSWITCH does.
 * The channel data is the captured connect reply and the call events the raw-call-sip captures, each with the
 * call's own Unique-ID, accountcode, number and address; after the call's CHANNEL_CREATE comes that of its leg to
 * the provider ({@link Replay#providerLegFor}: the agent must be configured with {@link Replay#CAPTURED_PROVIDER}),
 * which makes it an outgoing call.
 */
final class SimulatedFreeSwitch implements AutoCloseable {
    static final String PASSWORD = "tollguard-esl-secret";

    /** One call: its id and what the pre-dial exchange did to it. */
    record Call(String uuid, String account, String destination, FakeSocketApplication.Outcome preDial) {
        boolean allowed() {
            return preDial != null && preDial.channelUp() && "allow".equals(preDial.variables().get("tollguard_result"));
        }

        boolean refused() {
            return preDial != null && !preDial.channelUp();
        }
    }

    final FakeFreeSwitch eventSocket;
    private volatile Conn conn;
    private final Map<String, Call> live = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> kills = new LinkedBlockingQueue<>();

    SimulatedFreeSwitch() throws IOException {
        eventSocket = new FakeFreeSwitch(PASSWORD);
        eventSocket.handler((c, cmd) -> {
            if (cmd.startsWith("bgapi uuid_kill ")) {
                String[] words = cmd.line().split(" ");
                String uuid = words[2];
                String cause = words.length > 3 ? words[3] : "NORMAL_CLEARING";
                String jobUuid = cmd.headers().get("Job-UUID");
                c.sendBgapiReply(jobUuid);
                Call call = live.remove(uuid);
                c.send(FakeFreeSwitch.backgroundJob(jobUuid, cmd.line().substring(6),
                        call == null ? "-ERR No such channel!\n" : "+OK\n"));
                if (call != null) {
                    c.send(hangupComplete(call, cause, 0));
                }
                kills.add(uuid + " " + cause);
                return true;
            }
            return false;
        });
    }

    int port() {
        return eventSocket.port();
    }

    /** Waits until the agent has connected and asked for the channel list. */
    void awaitAgent(Duration max) throws InterruptedException {
        conn = eventSocket.awaitConnection(max);
        conn.awaitCommand("api show channels as json", max);
    }

    /** Places a call through the pre-dial check at {@code preDialPort}; returns what happened. */
    Call dial(int preDialPort, String account, String destination, String source) throws IOException {
        String uuid = UUID.randomUUID().toString();
        byte[] data = FakeSocketApplication.channelData(List.of());
        data = retarget(data, uuid, account, destination, source);
        FakeSocketApplication.Outcome outcome = FakeSocketApplication.run(preDialPort, data);
        Call call = new Call(uuid, account, destination, outcome);
        if (outcome.channelUp()) {
            live.put(uuid, call);
            conn.send(event(Replay.CALL_CREATE, call));
            conn.send(Replay.providerLegFor(uuid, UUID.randomUUID().toString()));
        }
        return call;
    }

    void answer(Call call) throws IOException {
        conn.send(event(Replay.CALL_ANSWER, call));
    }

    void hangup(Call call, long billsec) throws IOException {
        if (live.remove(call.uuid()) != null) {
            conn.send(hangupComplete(call, "NORMAL_CLEARING", billsec));
        }
    }

    /** The next {@code uuid_kill} the agent sent, as "uuid CAUSE". */
    String awaitKill(Duration max) throws InterruptedException {
        String k = kills.poll(max.toMillis(), TimeUnit.MILLISECONDS);
        if (k == null) {
            throw new AssertionError("no uuid_kill within " + max);
        }
        return k;
    }

    int liveCalls() {
        return live.size();
    }

    private static byte[] event(String capture, Call call) {
        byte[] e = Replay.with(Replay.capture(capture), "Unique-ID", call.uuid());
        e = Replay.with(e, "variable_accountcode", call.account());
        e = Replay.with(e, "Caller-Destination-Number", call.destination());
        return e;
    }

    private static byte[] hangupComplete(Call call, String cause, long billsec) {
        byte[] e = event(Replay.CALL_HANGUP, call);
        e = Replay.with(e, "Hangup-Cause", cause);
        e = Replay.with(e, "variable_hangup_cause", cause);
        e = Replay.with(e, "variable_hangup_cause_q850", String.valueOf(HangupCauses.code(cause)));
        return Replay.with(e, "variable_billsec", String.valueOf(billsec));
    }

    /** The channel data with this call's id, accountcode, dialled number and source address. */
    private static byte[] retarget(byte[] data, String uuid, String account, String destination, String source) {
        StringBuilder out = new StringBuilder();
        for (String line : new String(data, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1)) {
            int colon = line.indexOf(": ");
            String name = colon < 0 ? "" : line.substring(0, colon);
            String value = switch (name) {
                case "Unique-ID", "Channel-Call-UUID", "Caller-Unique-ID", "Channel-Unique-ID", "variable_uuid",
                     "variable_call_uuid" -> uuid;
                case "variable_accountcode" -> account;
                case "Caller-Destination-Number", "Channel-Destination-Number" -> destination;
                case "variable_sip_network_ip", "Caller-Network-Addr", "Channel-Network-Addr" -> source;
                default -> null;
            };
            out.append(value == null ? line : name + ": " + Frames.fsUrlEncode(value)).append('\n');
        }
        return out.substring(0, out.length() - 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        eventSocket.close();
    }
}
