package dev.sluice.decoders;

import static dev.sluice.decoders.SflowTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.ie.InformationElementRegistry;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-built sFlow datagrams: every layer of the sampled header, every sample and record kind decoded. */
class SflowDecoderTest {

    private static final String DST_MAC = "00:11:22:33:44:55";
    private static final String SRC_MAC = "66:77:88:99:aa:bb";

    /** One flow sample around one raw header record (Ethernet, frame length 1000). */
    private static FlowRecord single(byte[] frame) {
        Collected c = decode(datagram("10.1.1.1", 3, 77, 5000,
                flowSample(9, 5, 512, 4096, 0, 5, 6, rawHeader(1, 1000, 4, frame))));
        assertThat(c.errors).isEmpty();
        assertThat(c.records).hasSize(1);
        return c.records.get(0);
    }

    @Test
    void qinqTagsGiveOuterAndCustomerVlan() {
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x88A8).u16(0x2000 | 100).u16(0x8100).u16(0xE000 | 200)
                .u16(0x0800).bytes(ipv4(0x28, 48, 7, 0x4000, 61, 17, "10.0.0.1", "10.0.0.2", new byte[0]))
                .bytes(udp(5353, 53, 28)).build();
        FlowRecord r = single(frame);
        assertThat(r.vlan()).isEqualTo(100);
        assertThat(r.unsignedValue(r.indexOf(0, 245))).isEqualTo(200);
        assertThat(r.unsignedValue(r.indexOf(0, 256))).isEqualTo(0x0800);
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.1"));
        assertThat(r.protocolNumber()).isEqualTo(17);
        assertThat(r.sourcePort()).isEqualTo(5353);
        assertThat(r.destinationPort()).isEqualTo(53);
        assertThat(r.tos()).isEqualTo(0x28);
        assertThat(r.mac(FlowField.DESTINATION_MAC)).isEqualTo(0x001122334455L);
        assertThat(r.mac(FlowField.SOURCE_MAC)).isEqualTo(0x66778899aabbL);
        assertThat(r.bytes()).isEqualTo(1000);
        assertThat(r.packets()).isEqualTo(1);
        assertThat(r.samplingInterval()).isEqualTo(512);
        assertThat(r.exporter()).isEqualTo(ip("10.1.1.1"));
        assertThat(r.observationDomain()).isEqualTo(3);
        assertThat(r.packet().sequenceNumber()).isEqualTo(77);
        assertThat(r.packet().systemUptimeMillis()).isEqualTo(5000);
        assertThat(r.packet().exportTimeMillis()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void mplsLabelStackThenIpv4() {
        long first = (16L << 12) | (5 << 9) | 64; // label 16, TC 5, not bottom, TTL 64
        long second = (17L << 12) | (0 << 9) | 0x100 | 63; // label 17, bottom of stack
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x8847).u32(first).u32(second)
                .bytes(ipv4(0, 60, 1, 0, 64, 6, "192.168.1.1", "192.168.2.2", new byte[0]))
                .bytes(tcp(40000, 443, 0x02)).build();
        FlowRecord r = single(frame);
        assertThat(r.unsignedValue(r.indexOf(0, 70))).isEqualTo(first >>> 8);
        assertThat(r.unsignedValue(r.indexOf(0, 71))).isEqualTo(second >>> 8);
        assertThat(r.fieldLength(r.indexOf(0, 70))).isEqualTo(3);
        assertThat(r.indexOf(0, 72)).isNegative();
        assertThat(r.unsignedValue(r.indexOf(0, 256))).isEqualTo(0x8847);
        assertThat(r.address(FlowField.DESTINATION_ADDRESS)).isEqualTo(ip("192.168.2.2"));
        assertThat(r.destinationPort()).isEqualTo(443);
        assertThat(r.tcpFlags()).isEqualTo(0x02);
    }

    @Test
    void mplsHeaderProtocolWithIpv6Payload() {
        byte[] header = xdr().u32((100L << 12) | 0x100 | 255)
                .bytes(ipv6(0, 0, 8, 17, 64, "2001:db8::1", "2001:db8::2")).bytes(udp(1, 2, 8)).build();
        Collected c = decode(datagram("10.1.1.1", 0, 1, 1, flowSample(1, 1, 1, 1, 0, 1, 2,
                rawHeader(SflowHeaderParser.PROTO_MPLS, 200, 0, header))));
        FlowRecord r = c.records.get(0);
        assertThat(r.unsignedValue(r.indexOf(0, 70))).isEqualTo(((100L << 12) | 0x100 | 255) >>> 8);
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("2001:db8::1"));
        assertThat(r.sourcePort()).isEqualTo(1);
        assertThat(r.has(FlowField.SOURCE_MAC)).isFalse();
    }

    @Test
    void ipv6ExtensionHeadersAreWalkedToTheTransport() {
        byte[] hopByHop = xdr().u8(43).u8(0).u16(0).u32(0).build(); // next: routing, 8 bytes
        byte[] routing = xdr().u8(44).u8(2).u8(0).u8(0).u32(0).bytes(new byte[16]).build(); // 24 bytes
        byte[] fragment = xdr().u8(60).u8(0).u16(1).u32(0xCAFEBABEL).build(); // offset 0, more fragments
        byte[] destOpts = xdr().u8(6).u8(0).u16(0).u32(0).build();
        byte[] tcp = tcp(2222, 22, 0x12);
        int payload = hopByHop.length + routing.length + fragment.length + destOpts.length + tcp.length;
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x86DD)
                .bytes(ipv6(0xB8, 0x12345, payload, 0, 33, "2001:db8:1::10", "2001:db8:2::20"))
                .bytes(hopByHop).bytes(routing).bytes(fragment).bytes(destOpts).bytes(tcp).build();
        FlowRecord r = single(frame);
        assertThat(r.getLong(FlowField.IP_VERSION)).isEqualTo(6);
        assertThat(r.isIpv6(FlowField.SOURCE_ADDRESS)).isTrue();
        assertThat(r.address(FlowField.DESTINATION_ADDRESS)).isEqualTo(ip("2001:db8:2::20"));
        assertThat(r.protocolNumber()).isEqualTo(6);
        assertThat(r.sourcePort()).isEqualTo(2222);
        assertThat(r.destinationPort()).isEqualTo(22);
        assertThat(r.tcpFlags()).isEqualTo(0x12);
        assertThat(r.tos()).isEqualTo(0xB8);
        assertThat(r.unsignedValue(r.indexOf(0, 31))).isEqualTo(0x12345);
        assertThat(r.unsignedValue(r.indexOf(0, 192))).isEqualTo(33);
        assertThat(r.unsignedValue(r.indexOf(0, 224))).isEqualTo(40 + payload);
        assertThat(r.unsignedValue(r.indexOf(0, 54))).isEqualTo(0xCAFEBABEL);
        assertThat(r.unsignedValue(r.indexOf(0, 88))).isZero();
        assertThat(r.unsignedValue(r.indexOf(0, 197))).isEqualTo(0x20);
        assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).isZero();
    }

    @Test
    void ipv6LaterFragmentHasNoPorts() {
        byte[] fragment = xdr().u8(17).u8(0).u16((100 << 3)).u32(7).build(); // offset 100, last fragment
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x86DD)
                .bytes(ipv6(0, 0, 16, 44, 64, "2001:db8::1", "2001:db8::2")).bytes(fragment)
                .bytes(udp(1000, 2000, 8)).build();
        FlowRecord r = single(frame);
        assertThat(r.protocolNumber()).isEqualTo(17);
        assertThat(r.has(FlowField.SOURCE_PORT)).isFalse();
        assertThat(r.unsignedValue(r.indexOf(0, 88))).isEqualTo(100);
        assertThat(r.unsignedValue(r.indexOf(0, 197))).isZero();
    }

    @Test
    void icmpv6TypeAndCode() {
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x86DD)
                .bytes(ipv6(0, 0, 8, 58, 255, "fe80::1", "ff02::1")).bytes(icmp(135, 0)).build();
        FlowRecord r = single(frame);
        assertThat(r.protocolNumber()).isEqualTo(58);
        assertThat(r.getLong(FlowField.ICMP_TYPE_CODE)).isEqualTo(135 << 8);
        assertThat(r.indexOf(0, 139)).isNotNegative();
        assertThat(r.indexOf(0, 32)).isNegative();
        assertThat(r.has(FlowField.SOURCE_PORT)).isFalse();
    }

    @Test
    void ipv4OptionsAreSkippedAndFragmentsRecognised() {
        byte[] options = {(byte) 0x94, 4, 0, 0}; // router alert
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x0800)
                .bytes(ipv4(0, 32, 9, 0x2000, 1, 17, "10.9.9.9", "224.0.0.22", options)).bytes(udp(7, 9, 8))
                .build();
        FlowRecord r = single(frame);
        assertThat(r.sourcePort()).isEqualTo(7);
        assertThat(r.destinationPort()).isEqualTo(9);
        assertThat(r.unsignedValue(r.indexOf(0, 197))).isEqualTo(0x20); // MF

        byte[] later = ethernet(DST_MAC, SRC_MAC).u16(0x0800)
                .bytes(ipv4(0, 1500, 9, 185, 64, 6, "10.9.9.9", "10.8.8.8", new byte[0])).bytes(tcp(1, 2, 0x10))
                .build();
        FlowRecord f = single(later);
        assertThat(f.protocolNumber()).isEqualTo(6);
        assertThat(f.has(FlowField.SOURCE_PORT)).isFalse();
        assertThat(f.has(FlowField.TCP_FLAGS)).isFalse();
        assertThat(f.unsignedValue(f.indexOf(0, 88))).isEqualTo(185);
        assertThat(f.unsignedValue(f.indexOf(0, 54))).isEqualTo(9);
    }

    @Test
    void ipv4HeaderProtocolWithoutEthernet() {
        byte[] header = concat(ipv4(0x10, 84, 1, 0, 64, 1, "8.8.8.8", "10.0.0.1", new byte[0]), icmp(0, 0));
        Collected c = decode(datagram("10.1.1.1", 0, 1, 1, flowSample(1, 1, 1, 1, 0, 1, 2,
                rawHeader(SflowHeaderParser.PROTO_IPV4, 84, 0, header))));
        FlowRecord r = c.records.get(0);
        assertThat(r.getLong(FlowField.ICMP_TYPE_CODE)).isZero();
        assertThat(r.has(FlowField.ICMP_TYPE_CODE)).isTrue(); // echo reply is type 0 code 0, and present
        assertThat(r.has(FlowField.SOURCE_MAC)).isFalse();
        assertThat(r.has(FlowField.VLAN)).isFalse();
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("8.8.8.8"));
    }

    /** The full header, then every shorter cut of it: never an error, and the fields only ever grow. */
    @Test
    void truncatedHeadersKeepWhatWasRead() {
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x8100).u16(42).u16(0x0800)
                .bytes(ipv4(0x04, 52, 3, 0x4000, 64, 6, "1.1.1.1", "2.2.2.2", new byte[0]))
                .bytes(tcp(80, 8080, 0x11)).build();
        List<Set<FlowField>> seen = new ArrayList<>();
        for (int n = 0; n <= frame.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(frame, n);
            Collected c = decode(datagram("10.1.1.1", 0, 1, 1, flowSample(1, 1, 1, 1, 0, 1, 2,
                    rawHeader(1, 1000, 4, cut))));
            assertThat(c.errors).as("cut at %d", n).isEmpty();
            FlowRecord r = c.records.get(0);
            Set<FlowField> has = EnumSet.noneOf(FlowField.class);
            for (FlowField f : FlowField.values()) {
                if (r.has(f)) {
                    has.add(f);
                }
            }
            assertThat(has).as("cut at %d", n).contains(FlowField.BYTES, FlowField.PACKETS,
                    FlowField.SAMPLING_INTERVAL, FlowField.INPUT_INTERFACE, FlowField.OUTPUT_INTERFACE);
            if (!seen.isEmpty()) {
                assertThat(has).as("cut at %d", n).containsAll(seen.get(seen.size() - 1));
            }
            seen.add(has);
            assertGenericAccessConsistent(r);
        }
        assertThat(seen.get(11)).doesNotContain(FlowField.SOURCE_MAC);
        assertThat(seen.get(12)).contains(FlowField.SOURCE_MAC, FlowField.DESTINATION_MAC);
        assertThat(seen.get(17)).doesNotContain(FlowField.VLAN);
        assertThat(seen.get(18)).contains(FlowField.VLAN).doesNotContain(FlowField.IP_VERSION);
        assertThat(seen.get(19)).contains(FlowField.IP_VERSION);
        assertThat(seen.get(18 + 20 - 1)).doesNotContain(FlowField.DESTINATION_ADDRESS);
        assertThat(seen.get(18 + 20)).contains(FlowField.DESTINATION_ADDRESS).doesNotContain(FlowField.SOURCE_PORT);
        assertThat(seen.get(18 + 24)).contains(FlowField.DESTINATION_PORT).doesNotContain(FlowField.TCP_FLAGS);
        assertThat(seen.get(18 + 33)).doesNotContain(FlowField.TCP_FLAGS);
        assertThat(seen.get(18 + 34)).contains(FlowField.TCP_FLAGS);
    }

    @Test
    void sampledEthernetAndIpRecordsWithoutHeader() {
        byte[] eth = tagged(2, xdr().u32(1514).bytes(mac(SRC_MAC)).u16(0).bytes(mac(DST_MAC)).u16(0).u32(0x0800)
                .build());
        byte[] ip4 = tagged(3, xdr().u32(1500).u32(6).bytes(ip("10.0.0.1").getAddress())
                .bytes(ip("10.0.0.2").getAddress()).u32(1234).u32(80).u32(0x18).u32(0x20).build());
        Collected c = decode(datagram("10.1.1.1", 0, 1, 1, flowSample(1, 1, 10, 1, 0, 1, 2, eth, ip4)));
        assertThat(c.errors).isEmpty();
        FlowRecord r = c.records.get(0);
        assertThat(r.bytes()).isEqualTo(1514);
        assertThat(r.mac(FlowField.SOURCE_MAC)).isEqualTo(0x66778899aabbL);
        assertThat(r.mac(FlowField.DESTINATION_MAC)).isEqualTo(0x001122334455L);
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.1"));
        assertThat(r.sourcePort()).isEqualTo(1234);
        assertThat(r.destinationPort()).isEqualTo(80);
        assertThat(r.tcpFlags()).isEqualTo(0x18);
        assertThat(r.tos()).isEqualTo(0x20);
        assertThat(r.getLong(FlowField.IP_VERSION)).isEqualTo(4);

        byte[] ip6 = tagged(4, xdr().u32(100).u32(17).bytes(ip("2001:db8::a").getAddress())
                .bytes(ip("2001:db8::b").getAddress()).u32(53).u32(3333).u32(0).u32(0x0a).build());
        FlowRecord s = decode(datagram("10.1.1.1", 0, 1, 1, flowSample(1, 1, 10, 1, 0, 1, 2, ip6))).records.get(0);
        assertThat(s.bytes()).isEqualTo(100);
        assertThat(s.address(FlowField.DESTINATION_ADDRESS)).isEqualTo(ip("2001:db8::b"));
        assertThat(s.sourcePort()).isEqualTo(53);
        assertThat(s.has(FlowField.TCP_FLAGS)).isFalse();
        assertThat(s.tos()).isEqualTo(0x0a);
    }

    @Test
    void headerWinsOverIpDataRecordWhateverTheOrder() {
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x0800)
                .bytes(ipv4(0, 40, 1, 0, 64, 6, "1.1.1.1", "2.2.2.2", new byte[0])).bytes(tcp(1, 2, 0x10)).build();
        byte[] ip4 = tagged(3, xdr().u32(999).u32(6).bytes(ip("9.9.9.9").getAddress())
                .bytes(ip("8.8.8.8").getAddress()).u32(9).u32(8).u32(0).u32(0).build());
        for (boolean headerFirst : new boolean[] {true, false}) {
            byte[] h = rawHeader(1, 60, 4, frame);
            FlowRecord r = decode(datagram("10.1.1.1", 0, 1, 1, headerFirst
                    ? flowSample(1, 1, 10, 1, 0, 1, 2, h, ip4)
                    : flowSample(1, 1, 10, 1, 0, 1, 2, ip4, h))).records.get(0);
            assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("1.1.1.1"));
            assertThat(r.sourcePort()).isEqualTo(1);
            assertThat(r.bytes()).isEqualTo(60);
        }
    }

    @Test
    void compactOutputFormatsDiscardedAndMultiple() {
        FlowRecord discarded = decode(datagram("10.1.1.1", 0, 1, 1,
                flowSample(1, 1, 10, 1, 0, 7, 0x40000000L | 258))).records.get(0);
        assertThat(discarded.inputInterface()).isEqualTo(7);
        assertThat(discarded.has(FlowField.OUTPUT_INTERFACE)).isFalse();
        assertThat(discarded.unsignedValue(discarded.indexOf(0, 89))).isEqualTo(128);

        FlowRecord multiple = decode(datagram("10.1.1.1", 0, 1, 1,
                flowSample(1, 1, 10, 1, 0, 7, 0x80000003L))).records.get(0);
        assertThat(multiple.has(FlowField.OUTPUT_INTERFACE)).isFalse();
        assertThat(multiple.indexOf(0, 89)).isNegative();

        FlowRecord internal = decode(datagram("10.1.1.1", 0, 1, 1,
                flowSample(1, 1, 10, 1, 0, 0x3FFFFFFF, 0x3FFFFFFF))).records.get(0);
        assertThat(internal.inputInterface()).isEqualTo(0x3FFFFFFF);
        assertThat(internal.outputInterface()).isEqualTo(0x3FFFFFFF);
    }

    @Test
    void expandedInterfacesKeepAll32BitsAndTheirFormat() {
        Collected c = decode(datagram("2001:db8::99", 4, 1, 1,
                expandedFlowSample(1, 0, 3_000_000_000L, 100, 1, 0, 0, 3_000_000_001L, 0, 4_000_000_000L),
                expandedFlowSample(2, 0, 1, 100, 1, 0, 0, 5, 1, 0),
                expandedFlowSample(3, 0, 1, 100, 1, 0, 0, 5, 2, 4)));
        assertThat(c.errors).isEmpty();
        FlowRecord a = c.records.get(0);
        assertThat(a.exporter()).isEqualTo(ip("2001:db8::99"));
        assertThat(a.inputInterface()).isEqualTo(3_000_000_001L);
        assertThat(a.outputInterface()).isEqualTo(4_000_000_000L);
        assertThat(c.records.get(1).has(FlowField.OUTPUT_INTERFACE)).isFalse();
        assertThat(c.records.get(1).unsignedValue(c.records.get(1).indexOf(0, 89))).isEqualTo(128);
        assertThat(c.records.get(2).has(FlowField.OUTPUT_INTERFACE)).isFalse();
        assertThat(c.records.get(2).indexOf(0, 89)).isNegative();
    }

    @Test
    void samplingRateZeroIsAbsent() {
        FlowRecord r = decode(datagram("10.1.1.1", 0, 1, 1, flowSample(1, 1, 0, 1, 0, 1, 2))).records.get(0);
        assertThat(r.has(FlowField.SAMPLING_INTERVAL)).isFalse();
        assertThat(r.samplingInterval()).isZero();
        assertThat(r.has(FlowField.BYTES)).isFalse();
        assertThat(r.packets()).isEqualTo(1);
    }

    @Test
    void agentAddressUnknownFallsBackToUdpSourceAndBadTypeIsReported() {
        byte[] unknown = xdr().u32(5).u32(0).u32(1).u32(2).u32(3).u32(1).bytes(flowSample(1, 1, 1, 1, 0, 1, 2))
                .build();
        Collected c = decode(unknown);
        assertThat(c.errors).isEmpty();
        assertThat(c.records.get(0).exporter()).isEqualTo(UDP_SOURCE);

        byte[] bad = xdr().u32(5).u32(3).u32(1).u32(2).u32(3).u32(0).build();
        FlowDecoder d = new FlowDecoder();
        Collected e = decode(d, bad);
        assertThat(e.records).isEmpty();
        assertThat(e.errors).extracting(DecodeError::reason).containsExactly(DecodeError.Reason.BAD_LENGTH);
        assertThat(d.statistics().errors(DecodeError.Reason.BAD_LENGTH)).isEqualTo(1);
    }

    @Test
    void otherVersionsWithTwoZeroBytesAreUnknown() {
        FlowDecoder d = new FlowDecoder();
        Collected c = decode(d, xdr().u32(4).u32(1).build());
        assertThat(c.errors).extracting(DecodeError::reason).containsExactly(DecodeError.Reason.UNKNOWN_VERSION);
        assertThat(c.errors.get(0).detail()).contains("4");
    }

    @Test
    void routerAndGatewayRecords() {
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x86DD)
                .bytes(ipv6(0, 0, 20, 6, 64, "2001:db8::1", "2001:db8::2")).bytes(tcp(1, 2, 0x10)).build();
        FlowRecord r = decode(datagram("10.1.1.1", 0, 1, 1, flowSample(1, 1, 1, 1, 0, 1, 2,
                extendedRouter("2001:db8::fe", 48, 64), rawHeader(1, 90, 4, frame),
                extendedGateway("10.255.0.1", 64500, 64501, 64502, new long[0], new long[0], 200)))).records.get(0);
        assertThat(r.address(FlowField.NEXT_HOP)).isEqualTo(ip("2001:db8::fe"));
        assertThat(r.getLong(FlowField.SOURCE_MASK)).isEqualTo(48);
        assertThat(r.getLong(FlowField.DESTINATION_MASK)).isEqualTo(64);
        assertThat(r.indexOf(0, 29)).isNotNegative(); // IPv6 prefix lengths for an IPv6 flow
        assertThat(r.indexOf(0, 9)).isNegative();
        assertThat(r.sourceAs()).isEqualTo(64501);
        assertThat(r.destinationAs()).isEqualTo(64500); // empty path: the router's own AS
        assertThat(r.indexOf(0, 128)).isNegative();
        assertThat(r.unsignedValue(r.indexOf(0, 129))).isEqualTo(64502);
        assertThat(r.bytesValue(r.indexOf(0, 18))).isEqualTo(ip("10.255.0.1").getAddress());
        assertThat(r.indexOf(SflowRecordView.RAW_ENTERPRISE, 1003)).isNotNegative();
    }

    @Test
    void switchRecordGivesVlanPriorityAndWinsOverTheTag() {
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x8100).u16(0x6000 | 5).u16(0x0800)
                .bytes(ipv4(0, 40, 1, 0, 64, 6, "1.1.1.1", "2.2.2.2", new byte[0])).build();
        for (boolean switchFirst : new boolean[] {true, false}) {
            byte[] sw = extendedSwitch(10, 3, 20, 4);
            byte[] h = rawHeader(1, 60, 4, frame);
            FlowRecord r = decode(datagram("10.1.1.1", 0, 1, 1, switchFirst
                    ? flowSample(1, 1, 10, 1, 0, 1, 2, sw, h)
                    : flowSample(1, 1, 10, 1, 0, 1, 2, h, sw))).records.get(0);
            assertThat(r.vlan()).isEqualTo(10);
            assertThat(r.getLong(FlowField.POST_VLAN)).isEqualTo(20);
            assertThat(r.unsignedValue(r.indexOf(0, 244))).isEqualTo(3);
        }
    }

    @Test
    void counterSamplesGenericEthernetAndOthers() {
        byte[] generic = xdr().u32(17).u32(6).u32(0).u32(1_000_000_000L).u32(1).u32(3)
                .u32(0x1).u32(0x23456789L) // in octets (64 bits)
                .u32(10).u32(11).u32(12).u32(13).u32(14).u32(15)
                .u32(0x2).u32(0x3456789AL) // out octets
                .u32(20).u32(21).u32(22).u32(23).u32(24).u32(2).build();
        assertThat(generic.length).isEqualTo(88);
        Xdr eth = xdr();
        for (int i = 1; i <= 13; i++) {
            eth.u32(100 + i);
        }
        byte[] vlanCounters = xdr().u32(7).u32(0).u32(1).u32(2).u32(3).u32(4).u32(5).build();
        FlowDecoder d = new FlowDecoder();
        Collected c = decode(d, datagram("10.2.2.2", 9, 1, 1,
                counterSample(false, 42, 0, 17, tagged(1, generic), tagged(2, eth.build()), tagged(5, vlanCounters)),
                counterSample(true, 43, 0, 70_000_000L, tagged(2, eth.build())),
                counterSample(false, 44, 0, 18, tagged(1001, new byte[8]))));
        assertThat(c.errors).isEmpty();
        assertThat(c.counters).hasSize(2);
        InterfaceCounters g = c.counters.get(0);
        assertThat(g.exporter()).isEqualTo(ip("10.2.2.2"));
        assertThat(g.observationDomain()).isEqualTo(9);
        assertThat(g.sequenceNumber()).isEqualTo(42);
        assertThat(g.sourceIdType()).isZero();
        assertThat(g.sourceIdIndex()).isEqualTo(17);
        assertThat(g.hasGeneric()).isTrue();
        assertThat(g.hasEthernet()).isTrue();
        assertThat(g.ifIndex()).isEqualTo(17);
        assertThat(g.ifType()).isEqualTo(6);
        assertThat(g.ifSpeed()).isEqualTo(1_000_000_000L);
        assertThat(g.ifDirection()).isEqualTo(1);
        assertThat(g.ifStatus()).isEqualTo(3);
        assertThat(g.adminUp()).isTrue();
        assertThat(g.operUp()).isTrue();
        assertThat(g.inOctets()).isEqualTo(0x123456789L);
        assertThat(g.inUnicastPackets()).isEqualTo(10);
        assertThat(g.inMulticastPackets()).isEqualTo(11);
        assertThat(g.inBroadcastPackets()).isEqualTo(12);
        assertThat(g.inDiscards()).isEqualTo(13);
        assertThat(g.inErrors()).isEqualTo(14);
        assertThat(g.inUnknownProtos()).isEqualTo(15);
        assertThat(g.outOctets()).isEqualTo(0x23456789AL);
        assertThat(g.outUnicastPackets()).isEqualTo(20);
        assertThat(g.outMulticastPackets()).isEqualTo(21);
        assertThat(g.outBroadcastPackets()).isEqualTo(22);
        assertThat(g.outDiscards()).isEqualTo(23);
        assertThat(g.outErrors()).isEqualTo(24);
        assertThat(g.promiscuousMode()).isEqualTo(2);
        assertThat(g.dot3AlignmentErrors()).isEqualTo(101);
        assertThat(g.dot3FcsErrors()).isEqualTo(102);
        assertThat(g.dot3SingleCollisionFrames()).isEqualTo(103);
        assertThat(g.dot3MultipleCollisionFrames()).isEqualTo(104);
        assertThat(g.dot3SqeTestErrors()).isEqualTo(105);
        assertThat(g.dot3DeferredTransmissions()).isEqualTo(106);
        assertThat(g.dot3LateCollisions()).isEqualTo(107);
        assertThat(g.dot3ExcessiveCollisions()).isEqualTo(108);
        assertThat(g.dot3InternalMacTransmitErrors()).isEqualTo(109);
        assertThat(g.dot3CarrierSenseErrors()).isEqualTo(110);
        assertThat(g.dot3FrameTooLongs()).isEqualTo(111);
        assertThat(g.dot3InternalMacReceiveErrors()).isEqualTo(112);
        assertThat(g.dot3SymbolErrors()).isEqualTo(113);
        assertThat(g.otherRecordCount()).isEqualTo(1);
        assertThat(g.otherRecordFormat(0)).isEqualTo(5);
        assertThat(g.otherRecordBytes(0)).isEqualTo(vlanCounters);

        InterfaceCounters e = c.counters.get(1);
        assertThat(e.hasGeneric()).isFalse();
        assertThat(e.ifIndex()).isEqualTo(70_000_000L); // the expanded source index
        assertThat(e.inOctets()).isZero();
        assertThat(e.dot3SymbolErrors()).isEqualTo(113);
        assertThat(e.otherRecordCount()).isZero();

        DecoderStatistics s = d.statistics();
        assertThat(s.counterSamples()).isEqualTo(3);
        assertThat(s.skippedFormats()).isEqualTo(2); // VLAN counters (5), and 1001 (processor) raw
        assertThat(s.records()).isZero();
    }

    @Test
    void shortCounterRecordIsReported() {
        FlowDecoder d = new FlowDecoder();
        Collected c = decode(d, datagram("10.2.2.2", 0, 1, 1, counterSample(false, 1, 0, 1, tagged(1, new byte[40]))));
        assertThat(c.counters).isEmpty();
        assertThat(c.errors).extracting(DecodeError::reason).containsExactly(DecodeError.Reason.BAD_LENGTH);
        assertThat(d.statistics().counterSamples()).isEqualTo(1);
    }

    @Test
    void unknownSampleAndRecordFormatsAreSkippedCountedAndKeptRaw() {
        byte[] vendorSample = tagged((4300 << 12) | 1002, new byte[] {1, 2, 3, 4, 5, 6}); // padded to 8
        byte[] vendorRecord = tagged((9 << 12) | 1, new byte[] {9, 8, 7, 6});
        byte[] user = tagged(1004, xdr().u32(3).opaque("bob".getBytes()).u32(3).opaque("eve".getBytes()).build());
        FlowDecoder d = new FlowDecoder();
        Collected c = decode(d, datagram("10.1.1.1", 0, 1, 1, vendorSample,
                flowSample(1, 1, 8, 1, 0, 1, 2, vendorRecord, user, extendedSwitch(1, 0, 2, 0)), vendorSample));
        assertThat(c.errors).isEmpty();
        assertThat(c.records).hasSize(1);
        FlowRecord r = c.records.get(0);
        assertThat(r.vlan()).isEqualTo(1);
        int vendor = r.indexOf(SflowRecordView.RAW_ENTERPRISE, (9 << 12) | 1);
        assertThat(r.bytesValue(vendor)).containsExactly(9, 8, 7, 6);
        assertThat(r.unsignedValue(vendor)).isEqualTo(0x09080706L);
        int u = r.indexOf(SflowRecordView.RAW_ENTERPRISE, 1004);
        assertThat(r.fieldLength(u)).isEqualTo(4 + 8 + 4 + 8);
        assertThat(r.element(u).isKnown()).isFalse();
        DecoderStatistics s = d.statistics();
        assertThat(s.skippedFormats()).isEqualTo(4);
        assertThat(s.records()).isEqualTo(1);
        assertGenericAccessConsistent(r);
    }

    /** Typed and generic access agree; every generic field reads inside its buffer; copies are equal. */
    @Test
    void genericAccessMatchesTypedAccess() {
        byte[] frame = ethernet(DST_MAC, SRC_MAC).u16(0x8100).u16(42).u16(0x0800)
                .bytes(ipv4(0x04, 52, 3, 0x4000, 64, 6, "1.1.1.1", "2.2.2.2", new byte[0]))
                .bytes(tcp(80, 8080, 0x11)).build();
        List<FlowRecord> views = new ArrayList<>();
        List<FlowRecord> copies = new ArrayList<>();
        FlowDecoder d = new FlowDecoder();
        d.decode(io.netty.buffer.Unpooled.wrappedBuffer(datagram("10.1.1.1", 0, 1, 1, flowSample(1, 1, 1000, 1, 0,
                        1, 2, extendedRouter("1.1.1.254", 24, 8), rawHeader(1, 66, 4, frame),
                        tagged(1006, new byte[] {1, 2, 3, 4})))), UDP_SOURCE, 0,
                new dev.sluice.core.FlowHandler() {
                    @Override
                    public void onRecord(FlowRecord record) {
                        assertGenericAccessConsistent(record);
                        views.add(record);
                        copies.add(record.copy());
                    }
                });
        FlowRecord r = copies.get(0);
        assertGenericAccessConsistent(r);
        assertThat(r.fieldCount()).isGreaterThan(20);
        InformationElementRegistry reg = InformationElementRegistry.standard();
        for (int i = 0; i < r.fieldCount(); i++) {
            if (r.enterpriseId(i) == 0) {
                assertThat(r.element(i).isKnown()).as("element %d", r.elementId(i)).isTrue();
                assertThat(r.element(i)).isEqualTo(reg.ipfix(0, r.elementId(i)));
            }
        }
        // a later datagram through the same decoder leaves the copy alone
        decode(d, datagram("10.9.9.9", 0, 1, 1, flowSample(1, 1, 7, 1, 0, 9, 9, rawHeader(1, 1, 0, new byte[0]))));
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("1.1.1.1"));
        assertThat(r.exporter()).isEqualTo(ip("10.1.1.1"));
        assertThat(r.samplingInterval()).isEqualTo(1000);
        assertThat(r.bytesValue(r.indexOf(SflowRecordView.RAW_ENTERPRISE, 1006))).containsExactly(1, 2, 3, 4);
        assertThat(r.getLong(FlowField.SOURCE_MASK)).isEqualTo(24);
        assertThat(r.unsignedValue(r.indexOf(0, 9))).isEqualTo(24);
    }

    static void assertGenericAccessConsistent(FlowRecord r) {
        ByteBuf b = r.buffer();
        for (int i = 0; i < r.fieldCount(); i++) {
            int off = r.fieldOffset(i);
            int len = r.fieldLength(i);
            assertThat(off).isNotNegative();
            assertThat(off + len).isLessThanOrEqualTo(b.capacity());
            byte[] v = r.bytesValue(i);
            long n = 0;
            for (int k = Math.max(0, len - 8); k < len; k++) {
                n = (n << 8) | (v[k] & 0xFF);
            }
            assertThat(r.unsignedValue(i)).isEqualTo(n);
            assertThat(r.indexOf(r.enterpriseId(i), r.elementId(i))).isLessThanOrEqualTo(i);
        }
        for (FlowField f : FlowField.values()) {
            if (!r.has(f)) {
                assertThat(r.getLong(f)).as(f.name()).isZero();
                continue;
            }
            switch (f.kind()) {
                case ADDRESS: {
                    byte[] a = new byte[16];
                    int n = r.copyAddress(f, a);
                    assertThat(n).isIn(4, 16);
                    assertThat(r.isIpv6(f)).isEqualTo(n == 16);
                    if (n == 4) {
                        assertThat(r.ipv4(f)).isEqualTo(io.netty.buffer.Unpooled.wrappedBuffer(a).getInt(0));
                    }
                    break;
                }
                case MAC:
                    assertThat(r.mac(f)).isEqualTo(r.getLong(f));
                    break;
                default:
                    break;
            }
        }
        if (r.has(FlowField.SOURCE_PORT)) {
            assertThat(r.unsignedValue(r.indexOf(0, 7))).isEqualTo(r.sourcePort());
        }
        if (r.has(FlowField.BYTES)) {
            assertThat(r.unsignedValue(r.indexOf(0, 1))).isEqualTo(r.bytes());
        }
        if (r.has(FlowField.SAMPLING_INTERVAL)) {
            assertThat(r.unsignedValue(r.indexOf(0, 305))).isEqualTo(r.samplingInterval());
        }
        if (r.has(FlowField.INPUT_INTERFACE)) {
            assertThat(r.unsignedValue(r.indexOf(0, 10))).isEqualTo(r.inputInterface());
        }
    }
}
