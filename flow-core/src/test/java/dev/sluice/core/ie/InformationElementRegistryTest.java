package dev.sluice.core.ie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InformationElementRegistryTest {

    private final InformationElementRegistry registry = InformationElementRegistry.standard();

    @Test
    void standardIsOneSharedInstance() {
        assertThat(InformationElementRegistry.standard()).isSameAs(registry);
    }

    @Test
    void ianaElements() {
        assertThat(registry.ipfix(0, 1)).isEqualTo(new InformationElement(0, 1, "octetDeltaCount", DataType.UNSIGNED64));
        assertThat(registry.ipfix(0, 2)).isEqualTo(new InformationElement(0, 2, "packetDeltaCount", DataType.UNSIGNED64));
        assertThat(registry.ipfix(0, 4)).isEqualTo(new InformationElement(0, 4, "protocolIdentifier", DataType.UNSIGNED8));
        assertThat(registry.ipfix(0, 6)).isEqualTo(new InformationElement(0, 6, "tcpControlBits", DataType.UNSIGNED16));
        assertThat(registry.ipfix(0, 8)).isEqualTo(new InformationElement(0, 8, "sourceIPv4Address", DataType.IPV4_ADDRESS));
        assertThat(registry.ipfix(0, 27))
                .isEqualTo(new InformationElement(0, 27, "sourceIPv6Address", DataType.IPV6_ADDRESS));
        assertThat(registry.ipfix(0, 56))
                .isEqualTo(new InformationElement(0, 56, "sourceMacAddress", DataType.MAC_ADDRESS));
        assertThat(registry.ipfix(0, 82)).isEqualTo(new InformationElement(0, 82, "interfaceName", DataType.STRING));
        assertThat(registry.ipfix(0, 150))
                .isEqualTo(new InformationElement(0, 150, "flowStartSeconds", DataType.DATE_TIME_SECONDS));
        assertThat(registry.ipfix(0, 152))
                .isEqualTo(new InformationElement(0, 152, "flowStartMilliseconds", DataType.DATE_TIME_MILLISECONDS));
        assertThat(registry.ipfix(0, 155))
                .isEqualTo(new InformationElement(0, 155, "flowEndMicroseconds", DataType.DATE_TIME_MICROSECONDS));
        assertThat(registry.ipfix(0, 157))
                .isEqualTo(new InformationElement(0, 157, "flowEndNanoseconds", DataType.DATE_TIME_NANOSECONDS));
        assertThat(registry.ipfix(0, 276))
                .isEqualTo(new InformationElement(0, 276, "dataRecordsReliability", DataType.BOOLEAN));
        assertThat(registry.ipfix(0, 291)).isEqualTo(new InformationElement(0, 291, "basicList", DataType.BASIC_LIST));
        assertThat(registry.ipfix(0, 292).dataType()).isEqualTo(DataType.SUB_TEMPLATE_LIST);
        assertThat(registry.ipfix(0, 293).dataType()).isEqualTo(DataType.SUB_TEMPLATE_MULTI_LIST);
        assertThat(registry.ipfix(0, 311))
                .isEqualTo(new InformationElement(0, 311, "samplingProbability", DataType.FLOAT64));
        assertThat(registry.ipfix(0, 434))
                .isEqualTo(new InformationElement(0, 434, "mibObjectValueInteger", DataType.SIGNED32));
        assertThat(registry.ipfix(0, 502))
                .isEqualTo(new InformationElement(0, 502, "srhSegmentIPv6EndpointBehavior", DataType.UNSIGNED16));
        // unsigned256 (RFC 9740) has no DataType yet and is carried as an octet array
        assertThat(registry.ipfix(0, 520)).isEqualTo(new InformationElement(0, 520, "tcpOptionsFull", DataType.OCTET_ARRAY));
    }

    @Test
    void ianaCoversTheRegistryFromOneToFiveHundred() {
        long iana = registry.all().stream().filter(e -> e.enterpriseId() == 0 && e.elementId() < 32768
                && registry.ipfix(0, e.elementId()) == e).count();
        assertThat(iana).isGreaterThanOrEqualTo(500);
        for (int id = 1; id <= 433; id++) {
            boolean unnamedV9Slot = id >= 65 && id <= 69 || id == 97 || id >= 105 && id <= 127 || id == 416
                    || id == 419;
            assertThat(registry.ipfix(0, id).isKnown()).as("IANA %d", id).isEqualTo(!unnamedV9Slot);
        }
    }

    @Test
    void vendorElementsFromTheLogstashCodec() {
        assertThat(registry.ipfix(9, 12235))
                .isEqualTo(new InformationElement(9, 12235, "ciscoAppHTTPHost", DataType.STRING));
        assertThat(registry.ipfix(9, 12236))
                .isEqualTo(new InformationElement(9, 12236, "ciscoClientIPv4Address", DataType.IPV4_ADDRESS));
        assertThat(registry.ipfix(5951, 128))
                .isEqualTo(new InformationElement(5951, 128, "netscalerRoundTripTime", DataType.UNSIGNED32));
        assertThat(registry.ipfix(5951, 192))
                .isEqualTo(new InformationElement(5951, 192, "netscalerConnectionChainID", DataType.OCTET_ARRAY));
        assertThat(registry.ipfix(15397, 11))
                .isEqualTo(new InformationElement(15397, 11, "proceraInternalRtt", DataType.SIGNED32));
        assertThat(registry.ipfix(15397, 38))
                .isEqualTo(new InformationElement(15397, 38, "proceraQoeIncomingInternal", DataType.FLOAT32));
        assertThat(registry.ipfix(15397, 59))
                .isEqualTo(new InformationElement(15397, 59, "proceraIncomingDot1qPriorityLevel1", DataType.SIGNED8));
        assertThat(registry.ipfix(6876, 883))
                .isEqualTo(new InformationElement(6876, 883, "vmwareTenantSourceIPv6", DataType.IPV6_ADDRESS));
        assertThat(registry.ipfix(6871, 33))
                .isEqualTo(new InformationElement(6871, 33, "silkAppLabel", DataType.UNSIGNED16));
        assertThat(registry.ipfix(10704, 3)).isEqualTo(new InformationElement(10704, 3, "TrafficType", DataType.UNSIGNED8));
        assertThat(registry.ipfix(41916, 4321))
                .isEqualTo(new InformationElement(41916, 4321, "viptelaVPNId", DataType.UNSIGNED64));
        assertThat(registry.ipfix(26866, 4745)).isEqualTo(new InformationElement(26866, 4745, "http_uri", DataType.STRING));
    }

    @Test
    void reverseElementsTakeTheIanaType() {
        assertThat(registry.ipfix(29305, 1))
                .isEqualTo(new InformationElement(29305, 1, "reverseOctetDeltaCount", DataType.UNSIGNED64));
        assertThat(registry.ipfix(29305, 152)).isEqualTo(
                new InformationElement(29305, 152, "reverseFlowStartMilliseconds", DataType.DATE_TIME_MILLISECONDS));
        assertThat(registry.ipfix(29305, 291))
                .isEqualTo(new InformationElement(29305, 291, "reverseBasicList", DataType.BASIC_LIST));
    }

    @Test
    void netflowV9TypesIanaDefinesAreTheIanaElements() {
        for (int type = 1; type < 128; type++) {
            assertThat(registry.netflowV9(type)).as("v9 type %d", type).isSameAs(registry.ipfix(0, type));
        }
        assertThat(registry.netflowV9(1).name()).isEqualTo("octetDeltaCount");
        assertThat(registry.netflowV9(8).name()).isEqualTo("sourceIPv4Address");
        assertThat(registry.netflowV9(225)).isSameAs(registry.ipfix(0, 225));
        assertThat(registry.netflowV9(225).name()).isEqualTo("postNATSourceIPv4Address");
    }

    @Test
    void netflowV9VendorTypesCarryTheCodecsNames() {
        assertThat(registry.netflowV9(33000))
                .isEqualTo(new InformationElement(0, 33000, "ingress_acl_id", DataType.OCTET_ARRAY));
        assertThat(registry.netflowV9(33002))
                .isEqualTo(new InformationElement(0, 33002, "fw_ext_event", DataType.UNSIGNED16));
        assertThat(registry.netflowV9(40001))
                .isEqualTo(new InformationElement(0, 40001, "xlate_src_addr_ipv4", DataType.IPV4_ADDRESS));
        assertThat(registry.netflowV9(57591))
                .isEqualTo(new InformationElement(0, 57591, "nprobe_proto_name", DataType.STRING));
        assertThat(registry.netflowV9(8192))
                .isEqualTo(new InformationElement(0, 8192, "streamcore_wan_rtt", DataType.UNSIGNED32));
        // v9-only types are not IPFIX elements
        assertThat(registry.ipfix(0, 8192).isKnown()).isFalse();
    }

    @Test
    void unknownElementsAreNeverNullAndCached() {
        InformationElement unknown = registry.ipfix(4242, 7);
        assertThat(unknown).isEqualTo(InformationElement.unknown(4242, 7));
        assertThat(unknown.isKnown()).isFalse();
        assertThat(unknown.name()).isEqualTo("unknown_4242_7");
        assertThat(unknown.dataType()).isEqualTo(DataType.OCTET_ARRAY);
        assertThat(registry.ipfix(4242, 7)).isSameAs(unknown);
        assertThat(registry.ipfix(9, 1)).isEqualTo(InformationElement.unknown(9, 1));

        InformationElement v9 = registry.netflowV9(65000);
        assertThat(v9).isEqualTo(InformationElement.unknown(0, 65000));
        assertThat(registry.netflowV9(65000)).isSameAs(v9);
        assertThat(registry.ipfix(0, 65000)).isSameAs(v9);
        assertThat(registry.netflowV9(0).isKnown()).isFalse();
        assertThat(registry.ipfix(-1, 3)).isEqualTo(InformationElement.unknown(-1, 3));
        assertThat(registry.ipfix(0xFFFF_FFFFL, 32767)).isEqualTo(InformationElement.unknown(0xFFFF_FFFFL, 32767));
    }

    @Test
    void unknownCacheIsBounded() {
        UnknownElementCache cache = new UnknownElementCache();
        for (int id = 0; id < UnknownElementCache.LIMIT + 100; id++) {
            assertThat(cache.get(777_777, id)).isEqualTo(InformationElement.unknown(777_777, id));
        }
        assertThat(cache.size()).isEqualTo(UnknownElementCache.LIMIT);
        assertThat(cache.get(777_777, 5)).isSameAs(cache.get(777_777, 5));
        InformationElement beyond = cache.get(777_777, UnknownElementCache.LIMIT + 50);
        assertThat(beyond).isEqualTo(InformationElement.unknown(777_777, UnknownElementCache.LIMIT + 50));
        assertThat(cache.get(777_777, UnknownElementCache.LIMIT + 50)).isNotSameAs(beyond);
    }

    @Test
    void byName() {
        assertThat(registry.byName("octetDeltaCount")).isSameAs(registry.ipfix(0, 1));
        assertThat(registry.byName("netscalerHttpReqUrl")).isSameAs(registry.ipfix(5951, 130));
        assertThat(registry.byName("ingress_acl_id")).isSameAs(registry.netflowV9(33000));
        // IANA wins over a vendor element of the same name (CERT 6871/223, Procera-style 9789/4)
        assertThat(registry.byName("tcpUrgTotalCount")).isSameAs(registry.ipfix(0, 223));
        assertThat(registry.byName("flowDirection")).isSameAs(registry.ipfix(0, 61));
        // Barracuda's names exist under two enterprises: the lower one wins
        assertThat(registry.byName("FW_Rule")).isSameAs(registry.ipfix(10704, 4));
        assertThat(registry.byName("noSuchElement")).isNull();
    }

    @Test
    void allIsOrderedUniqueAndUnmodifiable() {
        List<InformationElement> all = registry.all();
        assertThat(all).hasSizeGreaterThan(1500);
        Set<Long> keys = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            InformationElement e = all.get(i);
            assertThat(keys.add(e.enterpriseId() << 32 | e.elementId())).as("unique %s", e).isTrue();
            assertThat(e.isKnown()).isTrue();
            if (i > 0) {
                InformationElement p = all.get(i - 1);
                assertThat(p.enterpriseId() < e.enterpriseId()
                        || p.enterpriseId() == e.enterpriseId() && p.elementId() < e.elementId()).isTrue();
            }
        }
        assertThatThrownBy(() -> all.add(registry.ipfix(0, 1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void lookupsDoNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        registry.ipfix(31337, 1).snakeCaseName();
        registry.netflowV9(61000).snakeCaseName();
        long sink = 0;
        for (int round = 0; round < 3; round++) { // warm up, then measure
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200_000; i++) {
                int id = i & 511;
                sink += registry.ipfix(0, id).elementId();
                sink += registry.ipfix(5951, 128 + (i & 255)).dataType().ordinal();
                sink += registry.netflowV9((i & 1) == 0 ? 33000 : 61000).name().length();
                sink += registry.ipfix(31337, 1).snakeCaseName().length();
                sink += registry.ipfix(0, 1 + (i & 63)).snakeCaseName().length();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertThat(allocated).as("bytes allocated by 1,000,000 lookups").isLessThan(4096);
            }
        }
        assertThat(sink).isPositive();
    }
}
