package org.tollguard.hub.abuse;

/**
 * What RDAP says about the network an address is in: its range, handle and name, and the e-mail address of the
 * entity with the "abuse" role ({@code email} null: the registry names none).
 */
public record AbuseContact(String startAddress, String endAddress, String handle, String name, String email) {
    public String network() {
        String range = startAddress.equals(endAddress) ? startAddress : startAddress + " - " + endAddress;
        return (handle == null ? "" : handle + " ") + "(" + range + (name == null ? "" : ", " + name) + ")";
    }
}
