package dev.sluice.enrich;

/** An AS number and its organisation, as the ASN database has it. Immutable and shared. */
public final class AutonomousSystem {
    private final long number;
    private final String organization;

    public AutonomousSystem(long number, String organization) {
        this.number = number;
        this.organization = organization;
    }

    public long number() {
        return number;
    }

    /** The organisation, or null. */
    public String organization() {
        return organization;
    }

    @Override
    public String toString() {
        return "AS" + number + (organization == null ? "" : " " + organization);
    }
}
