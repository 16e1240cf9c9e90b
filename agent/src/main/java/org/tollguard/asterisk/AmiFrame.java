package org.tollguard.asterisk;

/**
 * One AMI frame (an event or a response), reduced to the keys tollguard reads; a key the frame lacked is null.
 */
record AmiFrame(String event, String response, String message, String challenge, String service,
                String accountId, String sessionId, String localAddress, String remoteAddress) {

    static AmiFrame security(String event, String remoteAddress, String localAddress, String service,
                             String accountId, String sessionId) {
        return new AmiFrame(event, null, null, null, service, accountId, sessionId, localAddress, remoteAddress);
    }
}
