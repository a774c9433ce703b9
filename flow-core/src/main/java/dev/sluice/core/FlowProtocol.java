package dev.sluice.core;

/** The export protocol a flow record arrived in. */
public enum FlowProtocol {
    NETFLOW_V5(5),
    NETFLOW_V9(9),
    IPFIX(10),
    SFLOW_V5(5);

    private final int version;

    FlowProtocol(int version) {
        this.version = version;
    }

    /** The version number that the protocol's header carries (5, 9, 10, or 5 for sFlow). */
    public int version() {
        return version;
    }
}
