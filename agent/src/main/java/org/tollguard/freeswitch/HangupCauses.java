package org.tollguard.freeswitch;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * FreeSWITCH's hang-up cause names and their numbers (switch_types.h {@code switch_call_cause_t}; 1 to 127 are the
 * Q.850 causes, higher ones FreeSWITCH's own). {@code uuid_kill}, {@code hangup} and {@code sendmsg} accept both,
 * but names are what operators read in FreeSWITCH's logs and CDRs, so we send names.
 */
final class HangupCauses {
    private static final Map<Integer, String> NAMES = new HashMap<>();
    private static final Map<String, Integer> CODES = new HashMap<>();

    static {
        Object[] table = {
            0, "NONE", 1, "UNALLOCATED_NUMBER", 2, "NO_ROUTE_TRANSIT_NET", 3, "NO_ROUTE_DESTINATION",
            6, "CHANNEL_UNACCEPTABLE", 7, "CALL_AWARDED_DELIVERED", 16, "NORMAL_CLEARING", 17, "USER_BUSY",
            18, "NO_USER_RESPONSE", 19, "NO_ANSWER", 20, "SUBSCRIBER_ABSENT", 21, "CALL_REJECTED",
            22, "NUMBER_CHANGED", 23, "REDIRECTION_TO_NEW_DESTINATION", 25, "EXCHANGE_ROUTING_ERROR",
            27, "DESTINATION_OUT_OF_ORDER", 28, "INVALID_NUMBER_FORMAT", 29, "FACILITY_REJECTED",
            30, "RESPONSE_TO_STATUS_ENQUIRY", 31, "NORMAL_UNSPECIFIED", 34, "NORMAL_CIRCUIT_CONGESTION",
            38, "NETWORK_OUT_OF_ORDER", 41, "NORMAL_TEMPORARY_FAILURE", 42, "SWITCH_CONGESTION",
            43, "ACCESS_INFO_DISCARDED", 44, "REQUESTED_CHAN_UNAVAIL", 45, "PRE_EMPTED",
            50, "FACILITY_NOT_SUBSCRIBED", 52, "OUTGOING_CALL_BARRED", 54, "INCOMING_CALL_BARRED",
            57, "BEARERCAPABILITY_NOTAUTH", 58, "BEARERCAPABILITY_NOTAVAIL", 63, "SERVICE_UNAVAILABLE",
            65, "BEARERCAPABILITY_NOTIMPL", 66, "CHAN_NOT_IMPLEMENTED", 69, "FACILITY_NOT_IMPLEMENTED",
            79, "SERVICE_NOT_IMPLEMENTED", 81, "INVALID_CALL_REFERENCE", 88, "INCOMPATIBLE_DESTINATION",
            95, "INVALID_MSG_UNSPECIFIED", 96, "MANDATORY_IE_MISSING", 97, "MESSAGE_TYPE_NONEXIST",
            98, "WRONG_MESSAGE", 99, "IE_NONEXIST", 100, "INVALID_IE_CONTENTS", 101, "WRONG_CALL_STATE",
            102, "RECOVERY_ON_TIMER_EXPIRE", 103, "MANDATORY_IE_LENGTH_ERROR", 111, "PROTOCOL_ERROR",
            127, "INTERWORKING", 142, "SUCCESS", 487, "ORIGINATOR_CANCEL", 700, "CRASH", 701, "SYSTEM_SHUTDOWN",
            702, "LOSE_RACE", 703, "MANAGER_REQUEST", 800, "BLIND_TRANSFER", 801, "ATTENDED_TRANSFER",
            802, "ALLOTTED_TIMEOUT", 803, "USER_CHALLENGE", 804, "MEDIA_TIMEOUT", 805, "PICKED_OFF",
            806, "USER_NOT_REGISTERED", 807, "PROGRESS_TIMEOUT", 808, "INVALID_GATEWAY", 809, "GATEWAY_DOWN",
            810, "INVALID_URL", 811, "INVALID_PROFILE", 812, "NO_PICKUP", 813, "SRTP_READ_ERROR", 814, "BOWOUT",
            815, "BUSY_EVERYWHERE", 816, "DECLINE", 817, "DOES_NOT_EXIST_ANYWHERE", 818, "NOT_ACCEPTABLE",
            819, "UNWANTED", 820, "NO_IDENTITY", 821, "BAD_IDENTITY_INFO", 822, "UNSUPPORTED_CERTIFICATE",
            823, "INVALID_IDENTITY", 824, "STALE_DATE", 825, "REJECT_ALL",
        };
        for (int i = 0; i < table.length; i += 2) {
            NAMES.put((Integer) table[i], (String) table[i + 1]);
            CODES.put((String) table[i + 1], (Integer) table[i]);
        }
    }

    private HangupCauses() {}

    /**
     * The FreeSWITCH name of a cause, e.g. 21 → {@code CALL_REJECTED}. A number FreeSWITCH has no name for is sent
     * as the number (FreeSWITCH reads digits as the cause number); a negative one becomes NORMAL_CLEARING.
     */
    static String name(int cause) {
        if (cause < 0) {
            return "NORMAL_CLEARING";
        }
        String name = NAMES.get(cause);
        return name != null ? name : Integer.toString(cause);
    }

    /** The number of a cause name (case-insensitive), or 0 if unknown. */
    static int code(String name) {
        if (name == null) {
            return 0;
        }
        Integer code = CODES.get(name.strip().toUpperCase(Locale.ROOT));
        return code == null ? 0 : code;
    }
}
