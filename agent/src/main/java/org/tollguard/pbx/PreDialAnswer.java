package org.tollguard.pbx;

/**
 * The agent's answer to a {@link PreDialRequest}.
 *
 * @param cause Q.850 cause to hang up with when denied (e.g. 21 call rejected); 0 when allowed
 */
public record PreDialAnswer(boolean allowed, String reason, int cause) {
    public static PreDialAnswer allow(String reason) {
        return new PreDialAnswer(true, reason, 0);
    }

    public static PreDialAnswer deny(String reason, int cause) {
        return new PreDialAnswer(false, reason, cause);
    }
}
