package dev.sluice.enrich;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.layout.IanaProtocolNames;

/**
 * Names for numbers: the protocol ({@link FlowEvent#transport()}, from flow-core's IANA table), the TCP flags
 * ({@link FlowEvent#tcpFlagNames()}), the well-known service of each port ({@link FlowEvent.Endpoint#service()}) and
 * the flow's application ({@link FlowEvent#application()}: the destination port's service, else the source's), and
 * the ICMP / ICMPv6 type ({@link FlowEvent#icmpTypeName()}). All names are shared constants.
 */
public final class NamesStage implements EnrichmentStage {

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        if (!record.has(FlowField.PROTOCOL)) {
            return;
        }
        int protocol = record.protocolNumber();
        String name = IanaProtocolNames.name(protocol);
        if (name != null) {
            event.setTransport(name);
        }
        if (protocol == 6 && record.has(FlowField.TCP_FLAGS)) {
            event.setTcpFlagNames(TcpFlagNames.of(record.tcpFlags()));
        }
        if (protocol == 6 || protocol == 17 || protocol == 132) {
            String src = record.has(FlowField.SOURCE_PORT) ? ServiceNames.of(protocol, record.sourcePort()) : null;
            String dst = record.has(FlowField.DESTINATION_PORT)
                    ? ServiceNames.of(protocol, record.destinationPort()) : null;
            event.source().setService(src);
            event.destination().setService(dst);
            String app = dst != null ? dst : src;
            if (app != null) {
                event.setApplication(app);
            }
        } else if ((protocol == 1 || protocol == 58)) {
            int type = -1;
            if (record.has(FlowField.ICMP_TYPE_CODE)) {
                type = (int) (record.getLong(FlowField.ICMP_TYPE_CODE) >>> 8) & 0xFF;
            } else if (record.has(FlowField.DESTINATION_PORT)) {
                type = (record.destinationPort() >>> 8) & 0xFF; // NetFlow v5/v9 convention: type*256+code
            }
            if (type >= 0) {
                event.setIcmpTypeName(protocol == 1 ? IcmpTypeNames.v4(type) : IcmpTypeNames.v6(type));
            }
        }
    }
}
