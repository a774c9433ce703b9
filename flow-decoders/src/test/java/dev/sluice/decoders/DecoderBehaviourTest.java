package dev.sluice.decoders;

import static dev.sluice.decoders.ExportPacketBuilder.VARIABLE;
import static dev.sluice.decoders.ExportPacketBuilder.concat;
import static dev.sluice.decoders.ExportPacketBuilder.ef;
import static dev.sluice.decoders.ExportPacketBuilder.f;
import static dev.sluice.decoders.ExportPacketBuilder.ipfix;
import static dev.sluice.decoders.ExportPacketBuilder.rec;
import static dev.sluice.decoders.ExportPacketBuilder.v5;
import static dev.sluice.decoders.ExportPacketBuilder.v5Record;
import static dev.sluice.decoders.ExportPacketBuilder.v9;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError;
import dev.sluice.core.DecodeError.Reason;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.decoders.ExportPacketBuilder.Field;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What {@link FlowDecoder} does with packets built byte by byte in the test ({@link ExportPacketBuilder}):
 * template lifecycle, field encodings, options-driven sampling, state keys, pending data, limits, times,
 * owned copies, the v5 header, and typed errors.
 */
class DecoderBehaviourTest {

    static final InetAddress A = address("192.0.2.10");
    static final InetAddress B = address("192.0.2.20");
    static final long T = 1_700_000_000L;
    static final long NOW = T * 1000;

    // ------------------------------------------------------------------ harness

    /** Collects owned copies of what a decode delivers, after checking each copy reads like its view. */
    static final class Capture implements FlowHandler {
        final List<FlowRecord> records = new ArrayList<>();
        final List<FlowRecord> options = new ArrayList<>();
        final List<DecodeError> errors = new ArrayList<>();
        int returned;

        @Override
        public void onRecord(FlowRecord r) {
            records.add(checkedCopy(r));
        }

        @Override
        public void onOptions(FlowRecord r) {
            options.add(checkedCopy(r));
        }

        @Override
        public void onError(DecodeError e) {
            errors.add(e);
        }

        private static FlowRecord checkedCopy(FlowRecord r) {
            FlowRecord c = r.copy();
            assertThat(FuzzChecks.snapshot(c)).as("copy() reads like the view").isEqualTo(FuzzChecks.snapshot(r));
            return c;
        }

        List<Reason> reasons() {
            return errors.stream().map(DecodeError::reason).toList();
        }

        FlowRecord record() {
            assertThat(records).hasSize(1);
            return records.get(0);
        }
    }

    static Capture decode(FlowDecoder d, byte[] datagram) {
        return decode(d, A, NOW, datagram);
    }

    static Capture decode(FlowDecoder d, InetAddress exporter, long now, byte[] datagram) {
        Capture c = new Capture();
        long errorsBefore = d.statistics().errorCount();
        c.returned = d.decode(Unpooled.wrappedBuffer(datagram), exporter, now, c);
        assertThat(d.statistics().errorCount() - errorsBefore).as("errors counted = errors reported")
                .isEqualTo(c.errors.size());
        assertThat(c.returned).isEqualTo(c.records.size() + c.options.size());
        return c;
    }

    static DecoderStatistics stats(FlowDecoder d, InetAddress exporter) {
        return d.exporterStatistics().get(exporter);
    }

    static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }

    static int ip(String a) {
        byte[] b = ExportPacketBuilder.ipBytes(a);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    static final Field[] FLOW = {f(8, 4), f(12, 4), f(1, 8), f(2, 4)};

    static ExportPacketBuilder.Rec flow(String src, String dst, long bytes, long packets) {
        return rec().ipv4(src).ipv4(dst).u64(bytes).u32(packets);
    }

    // ------------------------------------------------------------------ templates

    @Nested
    class TemplateLifecycle {

        @Test
        void withdrawingOneTemplateHoldsItsLaterDataAsPending() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(1).template(256, FLOW).template(257, f(1, 4)).build());
            assertThat(d.templateCount()).isEqualTo(2);

            Capture c = decode(d, ipfix(1).sequence(1).withdraw(256)
                    .data(256, flow("10.0.0.1", "10.0.0.2", 100, 1)).data(257, rec().u32(7)).build());

            assertThat(c.records).hasSize(1);
            assertThat(c.records.get(0).templateId()).isEqualTo(257);
            assertThat(c.errors).isEmpty();
            DecoderStatistics s = stats(d, A);
            assertThat(s.templatesWithdrawn()).isEqualTo(1);
            assertThat(s.activeTemplates()).isEqualTo(1);
            assertThat(d.templateCount()).isEqualTo(1);
            assertThat(s.templateMisses()).isEqualTo(1);
            assertThat(s.pendingSets()).isEqualTo(1);

            // the template comes back: the held data is decoded then
            Capture again = decode(d, ipfix(1).sequence(2).template(256, FLOW).build());
            assertThat(again.record().bytes()).isEqualTo(100);
            assertThat(again.record().packet().sequenceNumber()).as("the held set keeps its own header").isEqualTo(1);
            assertThat(stats(d, A).pendingRecords()).isEqualTo(1);
            assertThat(stats(d, A).pendingSets()).isZero();
        }

        @Test
        void withdrawingAllTemplatesKeepsOptionsTemplates() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(1).template(256, FLOW).template(257, f(1, 4))
                    .optionsTemplate(258, 1, f(149, 4), f(305, 4)).build());
            assertThat(d.templateCount()).isEqualTo(3);

            Capture c = decode(d, ipfix(1).withdrawAll().data(256, flow("10.0.0.1", "10.0.0.2", 1, 1))
                    .data(257, rec().u32(1)).data(258, rec().u32(1).u32(64)).build());

            assertThat(c.records).isEmpty();
            assertThat(c.options).hasSize(1);
            assertThat(d.templateCount()).isEqualTo(1);
            DecoderStatistics s = stats(d, A);
            assertThat(s.templatesWithdrawn()).isEqualTo(2);
            assertThat(s.templateMisses()).isEqualTo(2);
            assertThat(s.pendingSets()).isEqualTo(2);

            decode(d, ipfix(1).withdrawAllOptions().build());
            assertThat(d.templateCount()).isZero();
            assertThat(stats(d, A).templatesWithdrawn()).isEqualTo(3);
        }

        @Test
        void withdrawingAllOfManyTemplatesRemovesEveryOne() {
            FlowDecoder d = new FlowDecoder();
            Random r = new Random(7);
            Set<Integer> ids = new HashSet<>();
            while (ids.size() < 500) {
                ids.add(256 + r.nextInt(65280));
            }
            ExportPacketBuilder.Ipfix m = ipfix(1);
            for (int id : ids) {
                m.template(id, f(1, 4));
            }
            decode(d, m.build());
            assertThat(d.templateCount()).isEqualTo(500);

            decode(d, ipfix(1).withdrawAll().build());

            assertThat(d.templateCount()).isZero();
            assertThat(stats(d, A).templatesWithdrawn()).isEqualTo(500);
            for (int id : ids) {
                assertThat(decode(d, ipfix(1).data(id, rec().u32(1)).build()).records).as("template %d", id).isEmpty();
            }
        }

        @Test
        void withdrawalOnlyTouchesItsOwnDomain() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(1).template(256, f(1, 4)).build());
            decode(d, ipfix(2).template(256, f(1, 4)).build());
            decode(d, ipfix(2).withdraw(256).withdrawAll().build());

            assertThat(decode(d, ipfix(1).data(256, rec().u32(5)).build()).record().bytes()).isEqualTo(5);
            assertThat(decode(d, ipfix(2).data(256, rec().u32(5)).build()).records).isEmpty();
        }

        @Test
        void refreshWithTheSameDefinitionChangesNothing() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(1).template(256, FLOW).build());
            Capture c = decode(d, ipfix(1).template(256, FLOW).data(256, flow("10.0.0.1", "10.0.0.2", 9, 3)).build());

            assertThat(c.record().bytes()).isEqualTo(9);
            assertThat(c.record().packets()).isEqualTo(3);
            assertThat(stats(d, A).templates()).isEqualTo(2);
            assertThat(stats(d, A).activeTemplates()).isEqualTo(1);
            assertThat(c.errors).isEmpty();
        }

        @Test
        void refreshWithAChangedDefinitionDecodesLaterDataWithTheNewOne() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(1).template(256, f(8, 4), f(1, 4)).build());
            Capture c = decode(d, ipfix(1).template(256, f(1, 8), f(7, 2), f(8, 4))
                    .data(256, rec().u64(123_456_789_000L).u16(443).ipv4("10.9.9.9")).build());

            FlowRecord r = c.record();
            assertThat(r.bytes()).isEqualTo(123_456_789_000L);
            assertThat(r.sourcePort()).isEqualTo(443);
            assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.9.9.9"));
            assertThat(r.fieldCount()).isEqualTo(3);
            assertThat(stats(d, A).activeTemplates()).isEqualTo(1);
            assertThat(d.templateCount()).isEqualTo(1);
        }

        @Test
        void netflowV9RefreshWithAChangedDefinition() {
            FlowDecoder d = new FlowDecoder();
            decode(d, v9(1).template(256, f(8, 4), f(1, 4)).build());
            Capture c = decode(d, v9(1).template(256, f(1, 4), f(8, 4)).data(256, rec().u32(77).ipv4("10.1.1.1"))
                    .build());
            assertThat(c.record().bytes()).isEqualTo(77);
            assertThat(c.record().ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.1.1.1"));
        }
    }

    // ------------------------------------------------------------------ field encodings

    @Nested
    class FieldEncodings {

        @Test
        void variableLengthFieldsInOneAndThreeByteLengthForms() {
            byte[] longName = new byte[300];
            Arrays.fill(longName, (byte) 'x');
            FlowDecoder d = new FlowDecoder();
            Capture c = decode(d, ipfix(1)
                    .template(256, f(8, 4), f(82, VARIABLE), f(1, 4), f(83, VARIABLE), f(7, 2))
                    .data(256,
                            rec().ipv4("10.0.0.1").varLen("eth0".getBytes(StandardCharsets.US_ASCII)).u32(1000)
                                    .varLen3(longName).u16(53),
                            rec().ipv4("10.0.0.2").varLen3("y".getBytes(StandardCharsets.US_ASCII)).u32(2000)
                                    .varLen(new byte[0]).u16(54))
                    .build());

            assertThat(c.errors).isEmpty();
            assertThat(c.records).hasSize(2);
            FlowRecord r1 = c.records.get(0);
            assertThat(r1.fieldLength(1)).isEqualTo(4);
            assertThat(new String(r1.bytesValue(1), StandardCharsets.US_ASCII)).isEqualTo("eth0");
            assertThat(r1.bytes()).as("fixed field after a variable one").isEqualTo(1000);
            assertThat(r1.fieldLength(3)).isEqualTo(300);
            assertThat(r1.bytesValue(3)).isEqualTo(longName);
            assertThat(r1.sourcePort()).isEqualTo(53);
            assertThat(r1.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.1"));

            FlowRecord r2 = c.records.get(1);
            assertThat(r2.fieldLength(1)).as("3-byte form of a short value").isEqualTo(1);
            assertThat(r2.bytesValue(1)).containsExactly('y');
            assertThat(r2.bytes()).isEqualTo(2000);
            assertThat(r2.fieldLength(3)).isZero();
            assertThat(r2.bytesValue(3)).isEmpty();
            assertThat(r2.sourcePort()).isEqualTo(54);
            assertThat(r2.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.2"));
        }

        @Test
        void variableLengthFieldOffsetsPointIntoTheDatagram() {
            FlowDecoder d = new FlowDecoder();
            byte[] msg = ipfix(1).template(256, f(82, VARIABLE), f(7, 2))
                    .data(256, rec().varLen("ge-0/0/1".getBytes(StandardCharsets.US_ASCII)).u16(8080)).build();
            ByteBuf buf = Unpooled.wrappedBuffer(msg);
            List<String> seen = new ArrayList<>();
            d.decode(buf, A, NOW, r -> {
                int off = r.fieldOffset(0);
                seen.add(r.buffer().toString(off, r.fieldLength(0), StandardCharsets.US_ASCII));
                seen.add(String.valueOf(r.buffer().getUnsignedShort(r.fieldOffset(1))));
            });
            assertThat(seen).containsExactly("ge-0/0/1", "8080");
        }

        @Test
        void enterpriseElementsAreKeptApartFromIanaOnes() {
            FlowDecoder d = new FlowDecoder();
            FlowRecord r = decode(d, ipfix(1)
                    .template(256, ef(9, 8, 4), f(12, 4), ef(29305, 1, 8), f(1, 8), ef(0xFFFFFFFFL, 0x7FFF, 2))
                    .data(256, rec().ipv4("10.0.0.9").ipv4("10.0.0.2").u64(555).u64(111).u16(0xBEEF)).build())
                    .record();

            assertThat(r.enterpriseId(0)).isEqualTo(9);
            assertThat(r.elementId(0)).isEqualTo(8);
            assertThat(r.enterpriseId(2)).isEqualTo(29305);
            assertThat(r.elementId(2)).as("without the enterprise bit").isEqualTo(1);
            assertThat(r.enterpriseId(4)).isEqualTo(0xFFFFFFFFL);
            assertThat(r.elementId(4)).isEqualTo(0x7FFF);
            assertThat(r.unsignedValue(4)).isEqualTo(0xBEEF);
            assertThat(r.indexOf(29305, 1)).isEqualTo(2);
            assertThat(r.indexOf(0, 1)).isEqualTo(3);
            assertThat(r.indexOf(9, 8)).isZero();
            assertThat(r.unsignedValue(2)).isEqualTo(555);
            assertThat(r.bytes()).as("typed access reads the IANA element").isEqualTo(111);
            assertThat(r.has(FlowField.SOURCE_ADDRESS)).as("enterprise 9 element 8 is not sourceIPv4Address")
                    .isFalse();
            assertThat(r.ipv4(FlowField.DESTINATION_ADDRESS)).isEqualTo(ip("10.0.0.2"));
            assertThat(r.element(2).enterpriseId()).isEqualTo(29305);
            assertThat(r.element(4)).isNotNull();
            assertThat(r.element(4).isKnown()).isFalse();
        }

        @Test
        void zeroLengthFieldsAreAbsentAndTakeNoSpace() {
            FlowDecoder d = new FlowDecoder();
            FlowRecord r = decode(d, ipfix(1).template(256, f(8, 4), f(1, 0), f(2, 4), f(7, 0), f(11, 2))
                    .data(256, rec().ipv4("10.0.0.1").u32(12).u16(80), rec().ipv4("10.0.0.3").u32(13).u16(81))
                    .build()).records.get(1);

            assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.3"));
            assertThat(r.packets()).isEqualTo(13);
            assertThat(r.destinationPort()).isEqualTo(81);
            assertThat(r.has(FlowField.BYTES)).isFalse();
            assertThat(r.has(FlowField.SOURCE_PORT)).isFalse();
            assertThat(r.fieldLength(1)).isZero();
            assertThat(r.unsignedValue(1)).isZero();
            assertThat(r.bytesValue(1)).isEmpty();
            assertThat(r.fieldCount()).isEqualTo(5);
        }

        @Test
        void netflowV9ZeroLengthFields() {
            FlowDecoder d = new FlowDecoder();
            Capture c = decode(d, v9(1).template(256, f(8, 4), f(1, 0), f(7, 2))
                    .dataAligned(256, rec().ipv4("10.0.0.1").u16(22)).build());
            assertThat(c.errors).isEmpty();
            assertThat(c.record().sourcePort()).isEqualTo(22);
            assertThat(c.record().has(FlowField.BYTES)).isFalse();
        }

        @Test
        void duplicateElementsAreAllVisibleGenericallyAndTypedAccessTakesTheFirst() {
            FlowDecoder d = new FlowDecoder();
            FlowRecord r = decode(d, ipfix(1).template(256, f(8, 4), f(8, 4), f(1, 4), f(1, 2))
                    .data(256, rec().ipv4("10.0.0.1").ipv4("10.0.0.2").u32(1000).u16(7)).build()).record();

            assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.1"));
            assertThat(r.bytes()).isEqualTo(1000);
            assertThat(r.indexOf(0, 8)).isZero();
            assertThat(r.indexOf(0, 8, 1)).isEqualTo(1);
            assertThat(r.unsignedValue(1)).isEqualTo(ip("10.0.0.2") & 0xFFFFFFFFL);
            assertThat(r.indexOf(0, 1, 3)).isEqualTo(3);
            assertThat(r.unsignedValue(3)).isEqualTo(7);
        }

        @Test
        void ipv6MacVlanAndOtherTypedFields() {
            FlowDecoder d = new FlowDecoder();
            FlowRecord r = decode(d, ipfix(1).template(256, f(27, 16), f(28, 16), f(62, 16), f(56, 6), f(80, 6),
                    f(58, 2), f(59, 2), f(61, 1), f(136, 1), f(139, 2), f(29, 1), f(30, 1))
                    .data(256, rec().ipv6("2001:db8::1").ipv6("2001:db8::2").ipv6("fe80::1").mac(0x0011_2233_4455L)
                            .mac(0x66_7788_99AA_BBL).u16(100).u16(200).u8(1).u8(3).u16(0x0303).u8(64).u8(48))
                    .build()).record();

            assertThat(r.isIpv6(FlowField.SOURCE_ADDRESS)).isTrue();
            assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(address("2001:db8::1"));
            assertThat(r.address(FlowField.DESTINATION_ADDRESS)).isEqualTo(address("2001:db8::2"));
            assertThat(r.address(FlowField.NEXT_HOP)).isEqualTo(address("fe80::1"));
            assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).as("not an IPv4 address").isZero();
            byte[] dst = new byte[16];
            assertThat(r.copyAddress(FlowField.SOURCE_ADDRESS, dst)).isEqualTo(16);
            assertThat(dst).isEqualTo(ExportPacketBuilder.ipBytes("2001:db8::1"));
            assertThat(r.getLong(FlowField.IP_VERSION)).isEqualTo(6);
            assertThat(r.mac(FlowField.SOURCE_MAC)).isEqualTo(0x0011_2233_4455L);
            assertThat(r.mac(FlowField.DESTINATION_MAC)).isEqualTo(0x66_7788_99AA_BBL);
            assertThat(r.vlan()).isEqualTo(100);
            assertThat(r.getLong(FlowField.POST_VLAN)).isEqualTo(200);
            assertThat(r.direction()).isEqualTo(1);
            assertThat(r.getLong(FlowField.FLOW_END_REASON)).isEqualTo(3);
            assertThat(r.getLong(FlowField.ICMP_TYPE_CODE)).isEqualTo(0x0303);
            assertThat(r.getLong(FlowField.SOURCE_MASK)).isEqualTo(64);
            assertThat(r.getLong(FlowField.DESTINATION_MASK)).isEqualTo(48);
            assertThat(r.has(FlowField.BYTES)).isFalse();
            assertThat(r.bytes()).isZero();
        }

        @Test
        void reducedSizeAndOversizedNumbers() {
            FlowDecoder d = new FlowDecoder();
            FlowRecord r = decode(d, ipfix(1).template(256, f(1, 3), f(2, 5), f(16, 16), f(8, 2))
                    .data(256, rec().uN(0xABCDEF, 3).uN(0x01_0000_0002L, 5).zeros(8).u64(0x1122334455667788L)
                            .u16(0x0A0B))
                    .build()).record();
            assertThat(r.bytes()).isEqualTo(0xABCDEF);
            assertThat(r.packets()).isEqualTo(0x01_0000_0002L);
            assertThat(r.sourceAs()).as("the low 8 bytes of a 16-byte number").isEqualTo(0x1122334455667788L);
            assertThat(r.has(FlowField.SOURCE_ADDRESS)).as("a 2-byte field is no IPv4 address").isFalse();
            assertThat(r.unsignedValue(3)).isEqualTo(0x0A0B);
        }

        @Test
        void paddingAfterRecordsIsNotARecordNorAnError() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(1).template(256, f(8, 4), f(7, 2)).template(257, f(82, VARIABLE), f(7, 2)).build());
            Capture c = decode(d, ipfix(1)
                    .dataPadded(256, 3, rec().ipv4("10.0.0.1").u16(1), rec().ipv4("10.0.0.2").u16(2))
                    .dataPadded(257, 2, rec().varLen("a".getBytes(StandardCharsets.US_ASCII)).u16(3))
                    .build());
            assertThat(c.errors).isEmpty();
            assertThat(c.records).extracting(FlowRecord::sourcePort).containsExactly(1, 2, 3);
        }

        @Test
        void zeroFilledSetsAndTrailingZerosAreIgnored() {
            FlowDecoder d = new FlowDecoder();
            Capture c = decode(d, ipfix(1).template(256, f(7, 2)).data(256, rec().u16(9))
                    .raw(new byte[12]).build());
            assertThat(c.errors).isEmpty();
            assertThat(c.record().sourcePort()).isEqualTo(9);

            Capture short3 = decode(d, ipfix(1).data(256, rec().u16(10)).raw(new byte[3]).build());
            assertThat(short3.errors).isEmpty();
            assertThat(short3.records).hasSize(1);

            // NetFlow v9: one flowset in a large zero-filled datagram (as PAN-OS sends)
            decode(d, v9(7).template(256, f(7, 2), f(11, 2)).build());
            Capture v9 = decode(d, concat(v9(7).data(256, rec().u16(1).u16(2)).build(), new byte[1000]));
            assertThat(v9.errors).isEmpty();
            assertThat(v9.record().destinationPort()).isEqualTo(2);

            // zeros after a complete IPFIX message in the datagram
            Capture after = decode(d, concat(ipfix(1).data(256, rec().u16(11)).build(), new byte[40]));
            assertThat(after.errors).isEmpty();
            assertThat(after.records).hasSize(1);
            assertThat(stats(d, A).packets()).as("trailing zeros are not another message").isEqualTo(5);
        }

        @Test
        void severalIpfixMessagesInOneDatagram() {
            FlowDecoder d = new FlowDecoder();
            Capture c = decode(d, concat(
                    ipfix(1).sequence(10).template(256, f(7, 2)).data(256, rec().u16(1)).build(),
                    ipfix(1).sequence(11).data(256, rec().u16(2), rec().u16(3)).build(),
                    ipfix(2).sequence(500).template(256, f(11, 2)).data(256, rec().u16(4)).build()));

            assertThat(c.errors).isEmpty();
            assertThat(c.records).hasSize(4);
            assertThat(c.records).extracting(r -> r.packet().sequenceNumber()).containsExactly(10L, 11L, 11L, 500L);
            assertThat(c.records.get(3).observationDomain()).isEqualTo(2);
            assertThat(c.records.get(3).destinationPort()).isEqualTo(4);
            assertThat(c.records.get(3).has(FlowField.SOURCE_PORT)).isFalse();
            assertThat(stats(d, A).packets()).isEqualTo(3);
        }

        @Test
        void severalV5PacketsInOneDatagram() {
            FlowDecoder d = new FlowDecoder();
            Capture c = decode(d, concat(
                    v5().sequence(100).record(v5Record().ports(1, 2)).record(v5Record().ports(3, 4)).build(),
                    v5().sequence(102).record(v5Record().ports(5, 6)).record(v5Record().ports(7, 8))
                            .record(v5Record().ports(9, 10)).build()));

            assertThat(c.errors).isEmpty();
            assertThat(c.records).extracting(FlowRecord::sourcePort).containsExactly(1, 3, 5, 7, 9);
            assertThat(c.records).extracting(r -> r.packet().sequenceNumber())
                    .containsExactly(100L, 100L, 102L, 102L, 102L);
            assertThat(stats(d, A).packets()).isEqualTo(2);
            assertThat(stats(d, A).records()).isEqualTo(5);
        }
    }

    // ------------------------------------------------------------------ sampling from options data

    @Nested
    class SamplingFromOptions {

        private byte[] v9SamplerOptions(long source, int samplerId, long interval) {
            return v9(source).optionsTemplate(300, 1, f(1, 4), f(48, 1), f(49, 1), f(50, 4))
                    .dataAligned(300, rec().u32(0).u8(samplerId).u8(2).u32(interval)).build();
        }

        private byte[] v9Data(long source, int samplerId) {
            return v9(source).template(256, f(8, 4), f(1, 4), f(48, 1))
                    .dataAligned(256, rec().ipv4("10.0.0.1").u32(100).u8(samplerId)).build();
        }

        @Test
        void netflowV9SamplerOptionsApplyToLaterRecordsOfThatSampler() {
            FlowDecoder d = new FlowDecoder();
            Capture o = decode(d, v9SamplerOptions(1, 1, 100));
            assertThat(o.options).hasSize(1);
            assertThat(o.options.get(0).samplingInterval()).isEqualTo(100);
            assertThat(o.options.get(0).scopeFieldCount()).isEqualTo(1);
            decode(d, v9SamplerOptions(1, 2, 1000));

            FlowRecord one = decode(d, v9Data(1, 1)).record();
            assertThat(one.samplingInterval()).isEqualTo(100);
            assertThat(one.has(FlowField.SAMPLING_INTERVAL)).isTrue();
            assertThat(decode(d, v9Data(1, 2)).record().samplingInterval()).isEqualTo(1000);
        }

        @Test
        void netflowV9SamplingDoesNotLeakToAnotherExporterOrSourceId() {
            FlowDecoder d = new FlowDecoder();
            decode(d, v9SamplerOptions(1, 1, 100));

            FlowRecord otherExporter = decode(d, B, NOW, v9Data(1, 1)).record();
            assertThat(otherExporter.samplingInterval()).isZero();
            assertThat(otherExporter.has(FlowField.SAMPLING_INTERVAL)).isFalse();
            FlowRecord otherSource = decode(d, v9Data(2, 1)).record();
            assertThat(otherSource.samplingInterval()).isZero();
            assertThat(otherSource.has(FlowField.SAMPLING_INTERVAL)).isFalse();
        }

        @Test
        void netflowV9SamplingIntervalWithoutSamplerIdAppliesToTheSourceId() {
            FlowDecoder d = new FlowDecoder();
            decode(d, v9(1).optionsTemplate(301, 1, f(1, 4), f(34, 4), f(35, 1))
                    .dataAligned(301, rec().u32(0).u32(64).u8(1)).build());

            Capture c = decode(d, v9(1).template(256, f(8, 4), f(1, 4))
                    .dataAligned(256, rec().ipv4("10.0.0.1").u32(100)).build());
            assertThat(c.record().samplingInterval()).isEqualTo(64);
            Capture other = decode(d, v9(9).template(256, f(8, 4), f(1, 4))
                    .dataAligned(256, rec().ipv4("10.0.0.1").u32(100)).build());
            assertThat(other.record().samplingInterval()).isZero();
        }

        @Test
        void samplingIntervalInTheRecordItselfWins() {
            FlowDecoder d = new FlowDecoder();
            decode(d, v9SamplerOptions(1, 1, 100));
            FlowRecord r = decode(d, v9(1).template(257, f(8, 4), f(34, 4), f(48, 1))
                    .dataAligned(257, rec().ipv4("10.0.0.1").u32(10).u8(1)).build()).record();
            assertThat(r.samplingInterval()).isEqualTo(10);
        }

        private byte[] ipfixSelectorOptions(long domain, long selector, long interval) {
            return ipfix(domain).optionsTemplate(400, 1, f(302, 4), f(305, 4))
                    .data(400, rec().u32(selector).u32(interval)).build();
        }

        private byte[] ipfixData(long domain, long selector) {
            return ipfix(domain).template(256, f(8, 4), f(1, 8), f(302, 4))
                    .data(256, rec().ipv4("10.0.0.1").u64(10).u32(selector)).build();
        }

        @Test
        void ipfixSamplingPacketIntervalWithSelectorIdInScope() {
            FlowDecoder d = new FlowDecoder();
            Capture o = decode(d, ipfixSelectorOptions(5, 7, 512));
            assertThat(o.options.get(0).scopeFieldCount()).isEqualTo(1);
            decode(d, ipfixSelectorOptions(5, 8, 2048));

            assertThat(decode(d, ipfixData(5, 7)).record().samplingInterval()).isEqualTo(512);
            assertThat(decode(d, ipfixData(5, 8)).record().samplingInterval()).isEqualTo(2048);
            assertThat(decode(d, ipfixData(6, 7)).record().samplingInterval()).as("another domain").isZero();
            assertThat(decode(d, B, NOW, ipfixData(5, 7)).record().samplingInterval()).as("another exporter")
                    .isZero();
        }

        @Test
        void ipfixSamplingAppliesOnlyToLaterRecords() {
            FlowDecoder d = new FlowDecoder();
            assertThat(decode(d, ipfixData(5, 7)).record().samplingInterval()).isZero();
            decode(d, ipfixSelectorOptions(5, 7, 512));
            assertThat(decode(d, ipfixData(5, 7)).record().samplingInterval()).isEqualTo(512);
            decode(d, ipfixSelectorOptions(5, 7, 100));
            assertThat(decode(d, ipfixData(5, 7)).record().samplingInterval()).as("announced again").isEqualTo(100);
        }
    }

    // ------------------------------------------------------------------ state keys

    @Nested
    class StateKeys {

        @Test
        void twoExportersUsingTheSameTemplateIdDoNotCollide() {
            FlowDecoder d = new FlowDecoder();
            decode(d, A, NOW, ipfix(1).template(256, f(8, 4), f(1, 4)).build());
            decode(d, B, NOW, ipfix(1).template(256, f(1, 8), f(7, 2)).build());

            FlowRecord a = decode(d, A, NOW, ipfix(1).data(256, rec().ipv4("10.0.0.1").u32(5)).build()).record();
            FlowRecord b = decode(d, B, NOW, ipfix(1).data(256, rec().u64(6).u16(443)).build()).record();

            assertThat(a.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.1"));
            assertThat(a.bytes()).isEqualTo(5);
            assertThat(a.exporter()).isEqualTo(A);
            assertThat(b.bytes()).isEqualTo(6);
            assertThat(b.sourcePort()).isEqualTo(443);
            assertThat(b.exporter()).isEqualTo(B);
            assertThat(d.templateCount()).isEqualTo(2);
        }

        @Test
        void netflowV9AndIpfixFromOneExporterWithTheSameDomainIdDoNotCollide() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(0).template(256, f(7, 2)).build());
            decode(d, v9(0).template(256, f(1, 4), f(2, 4)).build());

            assertThat(decode(d, ipfix(0).data(256, rec().u16(80)).build()).record().sourcePort()).isEqualTo(80);
            assertThat(decode(d, v9(0).data(256, rec().u32(1000).u32(10)).build()).record().bytes())
                    .isEqualTo(1000);
            assertThat(d.templateCount()).isEqualTo(2);
        }

        @Test
        void exporterStatisticsComeInTheOrderExportersWereFirstSeen() {
            FlowDecoder d = new FlowDecoder();
            List<InetAddress> seen = new ArrayList<>();
            for (int i = 40; i > 0; i--) {
                InetAddress a = address("10.0." + i + "." + (i * 7 % 250));
                seen.add(a);
                decode(d, a, NOW, v5().build());
            }
            assertThat(d.exporterStatistics().keySet()).containsExactlyElementsOf(seen);
        }

        @Test
        void oneExporterWithTwoSourceIdsDoesNotCollide() {
            FlowDecoder d = new FlowDecoder();
            decode(d, v9(1).template(256, f(8, 4), f(1, 4)).build());
            Capture early = decode(d, v9(2).dataAligned(256, rec().u32(6).u16(443)).build());
            assertThat(early.records).as("source 2 does not borrow source 1's template 256").isEmpty();

            Capture late = decode(d, v9(2).template(256, f(1, 4), f(7, 2)).build());
            assertThat(late.record().bytes()).isEqualTo(6);
            assertThat(late.record().sourcePort()).isEqualTo(443);
            assertThat(late.record().observationDomain()).isEqualTo(2);
            FlowRecord one = decode(d, v9(1).dataAligned(256, rec().ipv4("10.0.0.1").u32(5)).build()).record();
            assertThat(one.bytes()).isEqualTo(5);
            assertThat(one.observationDomain()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ data before its template

    @Nested
    class PendingData {

        @Test
        void dataBeforeItsTemplateIsHeldAndDecodedWhenTheTemplateArrives() {
            FlowDecoder d = new FlowDecoder();
            byte[] data = v9(1).sysUptime(100_000).unixSeconds(T).sequence(41)
                    .dataAligned(256, rec().ipv4("10.0.0.1").u32(50_000), rec().ipv4("10.0.0.2").u32(60_000)).build();
            Capture first = decode(d, data);
            assertThat(first.records).isEmpty();
            assertThat(first.errors).as("holding is not an error").isEmpty();
            DecoderStatistics s = stats(d, A);
            assertThat(s.templateMisses()).isEqualTo(1);
            assertThat(s.pendingSets()).isEqualTo(1);
            assertThat(s.pendingBytes()).as("the body and the bookkeeping cost of a held set")
                    .isEqualTo(DomainState.PendingSet.cost(16));

            Capture then = decode(d, v9(1).sysUptime(200_000).unixSeconds(T + 100).sequence(42)
                    .template(256, f(8, 4), f(22, 4)).build());
            assertThat(then.records).hasSize(2);
            FlowRecord r = then.records.get(0);
            assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.1"));
            assertThat(r.packet().sequenceNumber()).isEqualTo(41);
            assertThat(r.startMillis()).as("converted with the held packet's own header")
                    .isEqualTo(T * 1000 - 50_000);
            s = stats(d, A);
            assertThat(s.pendingRecords()).isEqualTo(2);
            assertThat(s.records()).isEqualTo(2);
            assertThat(s.pendingSets()).isZero();
            assertThat(s.pendingBytes()).isZero();
            assertThat(d.statistics().pendingBytes()).isZero();
        }

        @Test
        void dataBeforeItsTemplateInTheSameMessage() {
            FlowDecoder d = new FlowDecoder();
            Capture c = decode(d, ipfix(1).data(256, rec().u16(1), rec().u16(2)).template(256, f(7, 2)).build());
            assertThat(c.records).extracting(FlowRecord::sourcePort).containsExactly(1, 2);
            assertThat(stats(d, A).templateMisses()).isEqualTo(1);
            assertThat(stats(d, A).pendingRecords()).isEqualTo(2);
            assertThat(stats(d, A).pendingSets()).isZero();
        }

        @Test
        void heldOptionsDataTeachesSamplingWhenItsTemplateArrives() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(1).data(400, rec().u32(7).u32(512)).build());
            Capture c = decode(d, ipfix(1).optionsTemplate(400, 1, f(302, 4), f(305, 4)).build());
            assertThat(c.options).hasSize(1);
            assertThat(decode(d, ipfix(1).template(256, f(8, 4), f(302, 4))
                    .data(256, rec().ipv4("10.0.0.1").u32(7)).build()).record().samplingInterval()).isEqualTo(512);
        }

        @Test
        void noRoomToHoldMeansMissingTemplateAtOnce() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxPendingBytes(0, 0));
            Capture c = decode(d, ipfix(1).data(256, rec().u32(1)).build());
            assertThat(c.reasons()).containsExactly(Reason.MISSING_TEMPLATE);
            assertThat(stats(d, A).templateMisses()).isEqualTo(1);
            assertThat(stats(d, A).pendingSets()).isZero();
            assertThat(decode(d, ipfix(1).template(256, f(1, 4)).build()).records).isEmpty();
        }

        @Test
        void heldDataWaitsWhileItsTemplateIsRefusedByALimit() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxTemplates(1, 100));
            decode(d, ipfix(1).template(256, f(1, 4)).data(257, rec().u16(9)).build());
            assertThat(decode(d, ipfix(1).template(257, f(7, 2)).build()).reasons())
                    .containsExactly(Reason.LIMIT_EXCEEDED);
            assertThat(stats(d, A).pendingSets()).isEqualTo(1);
            Capture c = decode(d, ipfix(1).withdraw(256).template(257, f(7, 2)).build());
            assertThat(c.record().sourcePort()).isEqualTo(9);
        }

        @Test
        void heldDataExpiresOnALaterDatagramOfTheExporter() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxPendingAgeMillis(1000));
            decode(d, A, NOW, ipfix(1).data(256, rec().u32(1)).build());

            assertThat(decode(d, A, NOW + 1000, ipfix(1).build()).errors).as("not older than the limit yet").isEmpty();
            Capture c = decode(d, A, NOW + 1001, ipfix(1).build());

            assertThat(c.reasons()).containsExactly(Reason.PENDING_EXPIRED);
            assertThat(c.errors.get(0).exporter()).isEqualTo(A);
            assertThat(c.errors.get(0).offset()).as("offset of the set body in its datagram").isEqualTo(20);
            assertThat(stats(d, A).errors(Reason.PENDING_EXPIRED)).isEqualTo(1);
            assertThat(stats(d, A).pendingSets()).isZero();
            assertThat(decode(d, A, NOW + 1002, ipfix(1).template(256, f(1, 4)).build()).records)
                    .as("expired data is gone").isEmpty();
        }

        @Test
        void heldDataExpiresThroughExpirePending() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxPendingAgeMillis(1000));
            decode(d, A, NOW, ipfix(1).data(256, rec().u32(1)).build());
            decode(d, B, NOW + 500, ipfix(1).data(256, rec().u32(1)).build());

            decode(d, B, NOW + 5000, ipfix(1).build());
            assertThat(stats(d, A).pendingSets()).as("another exporter's datagram does not expire A's data")
                    .isEqualTo(1);

            Capture c = new Capture();
            d.expirePending(NOW + 1001, c);
            assertThat(c.reasons()).containsExactly(Reason.PENDING_EXPIRED);
            assertThat(c.errors.get(0).exporter()).isEqualTo(A);
            assertThat(d.statistics().pendingSets()).isZero();
            assertThat(d.statistics().errors(Reason.PENDING_EXPIRED)).isEqualTo(2);
        }

        @Test
        void pendingBytesPerExporterAreBounded() {
            long oneSet = DomainState.PendingSet.cost(80);
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxPendingBytes((int) oneSet + 100, 10_000));
            byte[] eighty = ipfix(1).data(256, rec().zeros(80)).build();
            assertThat(decode(d, eighty).errors).isEmpty();
            Capture c = decode(d, eighty);
            assertThat(c.reasons()).containsExactly(Reason.MISSING_TEMPLATE);
            assertThat(c.errors.get(0).offset()).isEqualTo(20);
            assertThat(stats(d, A).pendingBytes()).isEqualTo(oneSet);
            assertThat(stats(d, A).pendingSets()).isEqualTo(1);
            assertThat(stats(d, A).templateMisses()).isEqualTo(2);
            assertThat(decode(d, B, NOW, eighty).errors).as("another exporter has its own room").isEmpty();
        }

        @Test
        void pendingBytesInTotalAreBounded() {
            long oneSet = DomainState.PendingSet.cost(80);
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults()
                    .withMaxPendingBytes((int) oneSet * 2, oneSet + 100));
            byte[] eighty = ipfix(1).data(256, rec().zeros(80)).build();
            assertThat(decode(d, A, NOW, eighty).errors).isEmpty();
            assertThat(decode(d, B, NOW, eighty).reasons()).containsExactly(Reason.MISSING_TEMPLATE);
            assertThat(d.statistics().pendingBytes()).isEqualTo(oneSet);
            assertThat(d.statistics().errors(Reason.MISSING_TEMPLATE)).isEqualTo(1);
        }

        @Test
        void manySmallHeldSetsAreChargedMoreThanTheirBodies() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxPendingBytes(4096, 1 << 20));
            ExportPacketBuilder.Ipfix m = ipfix(1);
            for (int i = 0; i < 1000; i++) {
                m.set(256 + i, new byte[] {1});
            }
            decode(d, m.build());
            DecoderStatistics s = stats(d, A);
            assertThat(s.pendingSets()).as("1000 one-byte sets do not all fit in 4096 bytes").isLessThan(1000);
            assertThat(s.pendingBytes()).isBetween(s.pendingSets(), 4096L);
            assertThat(s.errors(Reason.MISSING_TEMPLATE)).isEqualTo(1000 - s.pendingSets());
        }

        @Test
        void emptyDataSetsForAnUnknownTemplateDoNotPileUp() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxPendingBytes(1024, 4096));
            ExportPacketBuilder.Ipfix m = ipfix(1);
            for (int i = 0; i < 10_000; i++) {
                m.set(256 + i % 1000, new byte[0]);
            }
            byte[] flood = m.build();
            for (int i = 0; i < 10; i++) {
                decode(d, flood);
            }
            assertThat(stats(d, A).pendingSets()).as("empty data sets held").isZero();
            assertThat(stats(d, A).templateMisses()).as("they are still misses").isEqualTo(100_000);
        }
        @Test
        void errorsAboutAnEmptyDataSetAtTheEndPointInsideItsDatagram() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxPendingAgeMillis(1000));
            byte[] msg = ipfix(1).set(256, new byte[0]).build();
            decode(d, A, NOW, msg);
            Capture c = decode(d, A, NOW + 2000, ipfix(1).build());
            assertThat(c.errors).allSatisfy(e -> assertThat(e.offset()).isLessThan(msg.length));
        }
    }

    // ------------------------------------------------------------------ limits

    @Nested
    class Limits {

        @Test
        void templatesPerExporterAreBounded() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxTemplates(2, 100));
            Capture c = decode(d, ipfix(1).template(256, f(1, 4)).template(257, f(1, 4)).template(258, f(1, 4))
                    .build());
            assertThat(c.reasons()).containsExactly(Reason.LIMIT_EXCEEDED);
            assertThat(c.errors.get(0).offset()).as("at the refused template record").isEqualTo(16 + 12 + 12 + 4);
            assertThat(d.templateCount()).isEqualTo(2);
            assertThat(stats(d, A).activeTemplates()).isEqualTo(2);
            assertThat(decode(d, ipfix(1).data(258, rec().u32(1)).build()).records).isEmpty();

            // a refresh of a held template is not a new one
            assertThat(decode(d, ipfix(1).template(257, f(1, 8)).build()).errors).isEmpty();
            // a withdrawal frees room
            Capture after = decode(d, ipfix(1).withdraw(256).template(258, f(1, 4)).build());
            assertThat(after.errors).isEmpty();
            assertThat(after.records).as("the data held for 258 comes out").hasSize(1);
            assertThat(d.templateCount()).isEqualTo(2);
        }

        @Test
        void templatesInTotalAreBounded() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxTemplates(2, 3));
            decode(d, A, NOW, ipfix(1).template(256, f(1, 4)).template(257, f(1, 4)).build());
            Capture c = decode(d, B, NOW, ipfix(1).template(256, f(1, 4)).template(257, f(1, 4)).build());
            assertThat(c.reasons()).containsExactly(Reason.LIMIT_EXCEEDED);
            assertThat(d.templateCount()).isEqualTo(3);
            assertThat(d.statistics().activeTemplates()).isEqualTo(3);
            assertThat(d.statistics().errors(Reason.LIMIT_EXCEEDED)).isEqualTo(1);
        }

        @Test
        void exportersAreBounded() {
            FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxExporters(2));
            byte[] v5 = v5().record(v5Record().ports(1, 2)).build();
            decode(d, A, NOW, v5);
            decode(d, B, NOW, v5);
            Capture c = decode(d, address("192.0.2.30"), NOW, v5);

            assertThat(c.records).isEmpty();
            assertThat(c.reasons()).containsExactly(Reason.LIMIT_EXCEEDED);
            assertThat(c.errors.get(0).exporter()).isEqualTo(address("192.0.2.30"));
            assertThat(c.errors.get(0).offset()).isZero();
            assertThat(d.exporterStatistics()).hasSize(2).containsOnlyKeys(A, B);
            assertThat(d.statistics().errors(Reason.LIMIT_EXCEEDED)).isEqualTo(1);
            assertThat(decode(d, A, NOW, v5).records).as("known exporters go on").hasSize(1);
        }

        @Test
        void observationDomainsPerExporterAreBounded() {
            FlowDecoder d = new FlowDecoder(new DecoderLimits(10, 2, 100, 100, 100, 1000, 1000, 1000));
            decode(d, ipfix(1).template(256, f(1, 4)).build());
            decode(d, ipfix(2).template(256, f(1, 4)).build());
            Capture c = decode(d, ipfix(3).template(256, f(1, 4)).data(256, rec().u32(1)).build());
            assertThat(c.reasons()).containsExactly(Reason.LIMIT_EXCEEDED);
            assertThat(c.records).isEmpty();
            assertThat(d.templateCount()).isEqualTo(2);
        }

        @Test
        void fieldsPerTemplateAreBoundedInIpfix() {
            FlowDecoder d = new FlowDecoder(new DecoderLimits(10, 10, 100, 100, 4, 1000, 1000, 1000));
            ExportPacketBuilder.Ipfix m = ipfix(1);
            Capture c = decode(d, m.templates(
                    m.templateRecord(256, f(1, 4), f(2, 4), f(7, 2), f(11, 2), f(4, 1)),
                    m.templateRecord(257, f(1, 4), f(2, 4), f(7, 2), f(11, 2)))
                    .data(257, rec().u32(1).u32(2).u16(3).u16(4)).build());

            assertThat(c.reasons()).containsExactly(Reason.LIMIT_EXCEEDED);
            assertThat(c.errors.get(0).offset()).isEqualTo(20);
            assertThat(c.record().destinationPort()).as("the next template of the set is read").isEqualTo(4);
            assertThat(d.templateCount()).isEqualTo(1);
        }

        @Test
        void fieldsPerTemplateAreBoundedInNetflowV9() {
            FlowDecoder d = new FlowDecoder(new DecoderLimits(10, 10, 100, 100, 2, 1000, 1000, 1000));
            ExportPacketBuilder.V9 m = v9(1);
            Capture c = decode(d, m.templates(m.templateRecord(256, f(1, 4), f(2, 4), f(7, 2)),
                    m.templateRecord(257, f(1, 4), f(7, 2))).dataAligned(257, rec().u32(1).u16(3)).build());
            assertThat(c.reasons()).containsExactly(Reason.LIMIT_EXCEEDED);
            assertThat(c.errors.get(0).offset()).isEqualTo(24);
            assertThat(c.record().sourcePort()).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------ times

    @Nested
    class NetflowV9Times {

        private FlowRecord decodeTimes(long sysUptime, long first, long last) {
            FlowDecoder d = new FlowDecoder();
            return decode(d, v9(1).sysUptime(sysUptime).unixSeconds(T).template(256, f(8, 4), f(22, 4), f(21, 4))
                    .dataAligned(256, rec().ipv4("10.0.0.1").u32(first).u32(last)).build()).record();
        }

        @Test
        void switchedTimesBecomeEpochMillisRelativeToTheHeader() {
            FlowRecord r = decodeTimes(100_000, 40_000, 90_000);
            assertThat(r.startMillis()).isEqualTo(T * 1000 - 60_000);
            assertThat(r.endMillis()).isEqualTo(T * 1000 - 10_000);
            assertThat(r.has(FlowField.START_MILLIS)).isTrue();
            assertThat(r.unsignedValue(r.indexOf(0, 22))).as("raw value kept").isEqualTo(40_000);
            assertThat(r.unsignedValue(r.indexOf(0, 21))).isEqualTo(90_000);
            assertThat(r.packet().systemUptimeMillis()).isEqualTo(100_000);
        }

        @Test
        void uptimeWrapAroundBetweenSwitchedAndHeaderTimes() {
            // sysUptime wrapped 5 s ago; the flow started 4096 ms before the wrap
            FlowRecord r = decodeTimes(5_000, 0xFFFF_F000L, 1_000);
            assertThat(r.startMillis()).isEqualTo(T * 1000 - 5_000 - 4_096);
            assertThat(r.endMillis()).isEqualTo(T * 1000 - 4_000);
        }

        @Test
        void switchedTimeSlightlyAfterSysUptime() {
            FlowRecord r = decodeTimes(100_000, 99_000, 100_500);
            assertThat(r.startMillis()).isEqualTo(T * 1000 - 1_000);
            assertThat(r.endMillis()).isEqualTo(T * 1000 + 500);
        }

        @Test
        void aBogusSwitchedTimeDoesNotPutTheFlowInTheFuture() {
            // up 34.7 days; first switched 0 (bogus), last switched one second ago
            FlowRecord r = decodeTimes(3_000_000_000L, 0, 2_999_999_000L);
            assertThat(r.endMillis()).isEqualTo(T * 1000 - 1_000);
            assertThat(!r.has(FlowField.START_MILLIS) || r.startMillis() <= T * 1000 + 60_000)
                    .as("start %d is %d ms after the export time", r.startMillis(), r.startMillis() - T * 1000)
                    .isTrue();
            assertThat(r.unsignedValue(r.indexOf(0, 22))).as("the raw value stays available").isZero();
        }

        @Test
        void netflowV5TimesIncludeTheResidualNanoseconds() {
            FlowDecoder d = new FlowDecoder();
            FlowRecord r = decode(d, v5().sysUptime(100_000).unixTime(T, 250_000_000)
                    .record(v5Record().switched(40_000, 90_000)).build()).record();
            assertThat(r.packet().exportTimeMillis()).isEqualTo(T * 1000 + 250);
            assertThat(r.startMillis()).isEqualTo(T * 1000 + 250 - 60_000);
            assertThat(r.endMillis()).isEqualTo(T * 1000 + 250 - 10_000);
        }
    }

    @Nested
    class IpfixTimes {

        private FlowRecord decodeWith(Field start, Field end, ExportPacketBuilder.Rec values) {
            FlowDecoder d = new FlowDecoder();
            return decode(d, ipfix(1).exportTime(T).template(256, f(8, 4), start, end)
                    .data(256, rec().ipv4("10.0.0.1").bytes(values.toBytes())).build()).record();
        }

        @Test
        void milliseconds() {
            FlowRecord r = decodeWith(f(152, 8), f(153, 8), rec().u64(NOW - 5000).u64(NOW - 10));
            assertThat(r.startMillis()).isEqualTo(NOW - 5000);
            assertThat(r.endMillis()).isEqualTo(NOW - 10);
        }

        @Test
        void seconds() {
            FlowRecord r = decodeWith(f(150, 4), f(151, 4), rec().u32(T - 5).u32(T - 1));
            assertThat(r.startMillis()).isEqualTo(NOW - 5000);
            assertThat(r.endMillis()).isEqualTo(NOW - 1000);
        }

        @Test
        void microsecondsInNtpFormat() {
            long ntp = T + 2_208_988_800L;
            FlowRecord r = decodeWith(f(154, 8), f(155, 8),
                    rec().u32(ntp - 2).u32(0x8000_0000L).u32(ntp).u32(0x4000_0000L));
            assertThat(r.startMillis()).isEqualTo(NOW - 2000 + 500);
            assertThat(r.endMillis()).isEqualTo(NOW + 250);
        }

        @Test
        void nanosecondsInNtpFormat() {
            long ntp = T + 2_208_988_800L;
            FlowRecord r = decodeWith(f(156, 8), f(157, 8),
                    rec().u32(ntp - 1).u32(0x2000_0000L).u32(ntp).u32(0xC000_0000L));
            assertThat(r.startMillis()).isEqualTo(NOW - 1000 + 125);
            assertThat(r.endMillis()).isEqualTo(NOW + 750);
        }

        @Test
        void deltaMicrosecondsBeforeTheExportTime() {
            FlowRecord r = decodeWith(f(158, 4), f(159, 4), rec().u32(2_000_000).u32(500_000));
            assertThat(r.startMillis()).isEqualTo(NOW - 2000);
            assertThat(r.endMillis()).isEqualTo(NOW - 500);
        }

        @Test
        void absoluteTimesWinOverOthers() {
            FlowDecoder d = new FlowDecoder();
            FlowRecord r = decode(d, ipfix(1).exportTime(T).template(256, f(150, 4), f(152, 8), f(22, 4))
                    .data(256, rec().u32(T - 9).u64(NOW - 1234).u32(1)).build()).record();
            assertThat(r.startMillis()).isEqualTo(NOW - 1234);
        }

        @Test
        void sysUpTimeWithSystemInitTimeFromOptionsData() {
            FlowDecoder d = new FlowDecoder();
            byte[] data = ipfix(1).exportTime(T).template(256, f(8, 4), f(22, 4), f(21, 4))
                    .data(256, rec().ipv4("10.0.0.1").u32(1_000).u32(5_000)).build();
            FlowRecord before = decode(d, data).record();
            assertThat(before.has(FlowField.START_MILLIS)).as("no system init time yet").isFalse();
            assertThat(before.startMillis()).isZero();

            long init = NOW - 3_600_000;
            decode(d, ipfix(1).optionsTemplate(300, 1, f(144, 4), f(160, 8)).data(300, rec().u32(1).u64(init))
                    .build());
            FlowRecord r = decode(d, data).record();
            assertThat(r.startMillis()).isEqualTo(init + 1_000);
            assertThat(r.endMillis()).isEqualTo(init + 5_000);

            assertThat(decode(d, ipfix(2).exportTime(T).template(256, f(8, 4), f(22, 4), f(21, 4))
                    .data(256, rec().ipv4("10.0.0.1").u32(1_000).u32(5_000)).build()).record()
                    .has(FlowField.START_MILLIS)).as("another domain has no init time").isFalse();
        }

        @Test
        void sysUpTimeWithSystemInitTimeInTheRecord() {
            FlowRecord r = decode(new FlowDecoder(), ipfix(1).template(256, f(160, 8), f(22, 4), f(21, 4))
                    .data(256, rec().u64(NOW - 60_000).u32(100).u32(200)).build()).record();
            assertThat(r.startMillis()).isEqualTo(NOW - 60_000 + 100);
            assertThat(r.endMillis()).isEqualTo(NOW - 60_000 + 200);
        }
    }

    // ------------------------------------------------------------------ copies

    @Nested
    class Copies {

        @Test
        void aCopyOutlivesItsReleasedAndOverwrittenBuffer() {
            FlowDecoder d = new FlowDecoder();
            decode(d, v9(1).optionsTemplate(300, 1, f(1, 4), f(48, 1), f(49, 1), f(50, 4))
                    .dataAligned(300, rec().u32(0).u8(1).u8(2).u32(100)).build());
            byte[] data = v9(1).sysUptime(100_000).unixSeconds(T).sequence(77)
                    .template(256, f(8, 4), f(12, 4), f(1, 4), f(22, 4), f(21, 4), f(48, 1))
                    .dataAligned(256, rec().ipv4("10.0.0.1").ipv4("10.0.0.2").u32(4242).u32(40_000).u32(90_000).u8(1))
                    .build();

            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(data.length);
            buf.writeBytes(data);
            List<FlowRecord> kept = new ArrayList<>();
            d.decode(buf, A, NOW, r -> kept.add(r.copy()));
            buf.setZero(0, buf.capacity());
            assertThat(buf.release()).isTrue();
            // reuse the pool's memory for something else
            ByteBuf other = PooledByteBufAllocator.DEFAULT.directBuffer(data.length);
            other.writeBytes(new byte[data.length]);

            // the exporter then announces another interval for sampler 1
            decode(d, v9(1).dataAligned(300, rec().u32(0).u8(1).u8(2).u32(500)).build());
            other.release();

            FlowRecord c = kept.get(0);
            assertThat(c.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.1"));
            assertThat(c.address(FlowField.DESTINATION_ADDRESS)).isEqualTo(address("10.0.0.2"));
            assertThat(c.bytes()).isEqualTo(4242);
            assertThat(c.samplingInterval()).as("the interval in effect when copied").isEqualTo(100);
            assertThat(c.startMillis()).isEqualTo(T * 1000 - 60_000);
            assertThat(c.endMillis()).isEqualTo(T * 1000 - 10_000);
            assertThat(c.packet().sequenceNumber()).isEqualTo(77);
            assertThat(c.packet().systemUptimeMillis()).isEqualTo(100_000);
            assertThat(c.exporter()).isEqualTo(A);
            assertThat(c.copy().bytes()).isEqualTo(4242);
            assertThat(decode(d, data).record().samplingInterval()).as("new records see the new interval")
                    .isEqualTo(500);
        }

        @Test
        void aCopyKeepsVariableLengthValuesAndInitTimeRelativeTimes() {
            FlowDecoder d = new FlowDecoder();
            long init = NOW - 3_600_000;
            decode(d, ipfix(1).optionsTemplate(300, 1, f(144, 4), f(160, 8)).data(300, rec().u32(1).u64(init))
                    .build());
            byte[] data = ipfix(1).template(256, f(82, VARIABLE), f(22, 4), f(7, 2))
                    .data(256, rec().varLen("xe-1/2/3".getBytes(StandardCharsets.US_ASCII)).u32(1_000).u16(179))
                    .build();
            byte[] mutable = data.clone();
            List<FlowRecord> kept = new ArrayList<>();
            d.decode(Unpooled.wrappedBuffer(mutable), A, NOW, r -> kept.add(r.copy()));
            Arrays.fill(mutable, (byte) 0xFF);
            // the options change after the copy was made
            decode(d, ipfix(1).data(300, rec().u32(1).u64(init + 999)).build());

            FlowRecord c = kept.get(0);
            assertThat(new String(c.bytesValue(0), StandardCharsets.US_ASCII)).isEqualTo("xe-1/2/3");
            assertThat(c.sourcePort()).isEqualTo(179);
            assertThat(c.startMillis()).isEqualTo(init + 1_000);
        }

        @Test
        void aCopyOfAV5RecordKeepsTheHeaderSampling() {
            FlowDecoder d = new FlowDecoder();
            byte[] p = v5().sampling(1, 100).engine(1, 2).record(v5Record().counts(3, 300)).build();
            List<FlowRecord> kept = new ArrayList<>();
            d.decode(Unpooled.wrappedBuffer(p), A, NOW, r -> kept.add(r.copy()));
            Arrays.fill(p, (byte) 0);
            assertThat(kept.get(0).samplingInterval()).isEqualTo(100);
            assertThat(kept.get(0).packet().engineId()).isEqualTo(2);
            assertThat(kept.get(0).bytes()).isEqualTo(300);
        }
    }

    // ------------------------------------------------------------------ NetFlow v5 header

    @Nested
    class NetflowV5Header {

        @Test
        void samplingAndEngineFields() {
            FlowDecoder d = new FlowDecoder();
            FlowRecord r = decode(d, v5().sampling(1, 100).engine(2, 7).sequence(9999).unixTime(T, 0)
                    .record(v5Record().addresses("10.0.0.1", "10.0.0.2", "10.0.0.254").interfaces(3, 4)
                            .counts(10, 1500).ports(1234, 80).protocol(6, 0x1B, 0x20).as(65001, 65002, 24, 16))
                    .build()).record();

            assertThat(r.protocol()).isEqualTo(FlowProtocol.NETFLOW_V5);
            assertThat(r.packet().samplingAlgorithm()).isEqualTo(1);
            assertThat(r.packet().headerSamplingInterval()).isEqualTo(100);
            assertThat(r.samplingInterval()).isEqualTo(100);
            assertThat(r.has(FlowField.SAMPLING_INTERVAL)).isTrue();
            assertThat(r.packet().engineType()).isEqualTo(2);
            assertThat(r.packet().engineId()).isEqualTo(7);
            assertThat(r.observationDomain()).isEqualTo(2 << 8 | 7);
            assertThat(r.packet().sequenceNumber()).isEqualTo(9999);
            assertThat(r.packet().count()).isEqualTo(1);
            assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("10.0.0.1"));
            assertThat(r.ipv4(FlowField.DESTINATION_ADDRESS)).isEqualTo(ip("10.0.0.2"));
            assertThat(r.ipv4(FlowField.NEXT_HOP)).isEqualTo(ip("10.0.0.254"));
            assertThat(r.inputInterface()).isEqualTo(3);
            assertThat(r.outputInterface()).isEqualTo(4);
            assertThat(r.packets()).isEqualTo(10);
            assertThat(r.bytes()).isEqualTo(1500);
            assertThat(r.sourcePort()).isEqualTo(1234);
            assertThat(r.destinationPort()).isEqualTo(80);
            assertThat(r.protocolNumber()).isEqualTo(6);
            assertThat(r.tcpFlags()).isEqualTo(0x1B);
            assertThat(r.tos()).isEqualTo(0x20);
            assertThat(r.sourceAs()).isEqualTo(65001);
            assertThat(r.destinationAs()).isEqualTo(65002);
            assertThat(r.getLong(FlowField.SOURCE_MASK)).isEqualTo(24);
            assertThat(r.getLong(FlowField.DESTINATION_MASK)).isEqualTo(16);
            assertThat(r.getLong(FlowField.IP_VERSION)).isEqualTo(4);
        }

        @Test
        void noSamplingInTheHeaderMeansNoInterval() {
            FlowRecord r = decode(new FlowDecoder(), v5().sampling(0, 0).record(v5Record()).build()).record();
            assertThat(r.samplingInterval()).isZero();
            assertThat(r.has(FlowField.SAMPLING_INTERVAL)).isFalse();
        }

        @Test
        void samplingModeTwoWithTheLargestInterval() {
            FlowRecord r = decode(new FlowDecoder(), v5().sampling(2, 0x3FFF).record(v5Record()).build()).record();
            assertThat(r.packet().samplingAlgorithm()).isEqualTo(2);
            assertThat(r.samplingInterval()).isEqualTo(0x3FFF);
        }
    }

    // ------------------------------------------------------------------ typed errors

    @Nested
    class Errors {

        private DecodeError onlyError(byte[] datagram) {
            Capture c = decode(new FlowDecoder(), datagram);
            assertThat(c.errors).hasSize(1);
            DecodeError e = c.errors.get(0);
            assertThat(e.exporter()).isEqualTo(A);
            assertThat(e.detail()).isNotBlank();
            return e;
        }

        @Test
        void unknownVersion() {
            DecodeError e = onlyError(new byte[] {0, 7, 0, 0, 0, 0});
            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VERSION);
            assertThat(e.offset()).isZero();
        }

        @Test
        void unknownVersionAfterACompleteMessage() {
            byte[] first = ipfix(1).template(256, f(7, 2)).data(256, rec().u16(5)).build();
            Capture c = decode(new FlowDecoder(), concat(first, new byte[] {0, 8, 1, 2, 3, 4}));
            assertThat(c.records).hasSize(1);
            assertThat(c.reasons()).containsExactly(Reason.UNKNOWN_VERSION);
            assertThat(c.errors.get(0).offset()).isEqualTo(first.length);
        }

        @Test
        void truncatedHeaders() {
            for (byte[] d : List.of(new byte[0], new byte[] {0}, Arrays.copyOf(v5().build(), 10),
                    Arrays.copyOf(v9(1).build(), 12), Arrays.copyOf(ipfix(1).build(), 12))) {
                DecodeError e = onlyError(d);
                assertThat(e.reason()).as("%d bytes", d.length).isEqualTo(Reason.TRUNCATED);
                assertThat(e.offset()).isZero();
            }
        }

        @Test
        void ipfixMessageLengthShorterThanItsHeader() {
            DecodeError e = onlyError(ipfix(1).length(8).build());
            assertThat(e.reason()).isEqualTo(Reason.BAD_LENGTH);
            assertThat(e.offset()).isZero();
        }

        @Test
        void ipfixMessageLongerThanTheDatagramStillDecodesItsCompleteSets() {
            byte[] msg = ipfix(1).template(256, f(7, 2)).data(256, rec().u16(5)).data(256, rec().u16(6)).build();
            byte[] cut = Arrays.copyOf(msg, msg.length - 1);
            Capture c = decode(new FlowDecoder(), cut);
            assertThat(c.reasons()).containsExactly(Reason.TRUNCATED);
            assertThat(c.errors.get(0).offset()).isZero();
            assertThat(c.records).extracting(FlowRecord::sourcePort).containsExactly(5);
        }

        @Test
        void ipfixSetLengthShorterThanItsHeader() {
            DecodeError e = onlyError(ipfix(1).setWithLength(256, 2, new byte[] {1, 2, 3, 4}).build());
            assertThat(e.reason()).isEqualTo(Reason.BAD_LENGTH);
            assertThat(e.offset()).isEqualTo(16);
        }

        @Test
        void ipfixSetLongerThanItsMessage() {
            DecodeError e = onlyError(ipfix(1).template(256, f(7, 2)).setWithLength(256, 400, new byte[] {1, 2})
                    .build());
            assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
            assertThat(e.offset()).isEqualTo(16 + 12);
        }

        @Test
        void netflowV9FlowsetLengths() {
            DecodeError zero = onlyError(v9(1).setWithLength(256, 0, new byte[] {1, 2, 3, 4}).build());
            assertThat(zero.reason()).isEqualTo(Reason.BAD_LENGTH);
            assertThat(zero.offset()).isEqualTo(20);
            DecodeError tooLong = onlyError(v9(1).setWithLength(256, 100, new byte[] {1, 2, 3, 4}).build());
            assertThat(tooLong.reason()).isEqualTo(Reason.TRUNCATED);
            assertThat(tooLong.offset()).isEqualTo(20);
        }

        @Test
        void netflowV5Counts() {
            DecodeError tooMany = onlyError(v5().count(31).build());
            assertThat(tooMany.reason()).isEqualTo(Reason.BAD_LENGTH);
            assertThat(tooMany.offset()).isZero();

            Capture c = decode(new FlowDecoder(), v5().count(3).record(v5Record().ports(1, 1))
                    .record(v5Record().ports(2, 2)).build());
            assertThat(c.reasons()).containsExactly(Reason.TRUNCATED);
            assertThat(c.records).as("the records that are there").hasSize(2);
        }

        @Test
        void reservedSetIdsAndBadTemplateIds() {
            DecodeError reserved = onlyError(ipfix(1).set(100, new byte[4]).build());
            assertThat(reserved.reason()).isEqualTo(Reason.UNKNOWN_SET);
            assertThat(reserved.offset()).isEqualTo(16);

            DecodeError low = onlyError(ipfix(1).template(255, f(1, 4)).build());
            assertThat(low.reason()).isEqualTo(Reason.BAD_TEMPLATE);
            assertThat(low.offset()).isEqualTo(20);

            DecodeError v9Empty = onlyError(v9(1).template(256).build());
            assertThat(v9Empty.reason()).isEqualTo(Reason.BAD_TEMPLATE);
            assertThat(v9Empty.offset()).isEqualTo(24);
        }

        @Test
        void variableLengthRecordRunningPastItsSet() {
            FlowDecoder d = new FlowDecoder();
            decode(d, ipfix(1).template(256, f(82, VARIABLE)).build());
            Capture c = decode(d, ipfix(1).data(256, rec().varLen("ok".getBytes(StandardCharsets.US_ASCII))
                    .u8(20).bytes("short".getBytes(StandardCharsets.US_ASCII))).build());
            assertThat(c.records).hasSize(1);
            assertThat(c.reasons()).containsExactly(Reason.TRUNCATED);
            assertThat(c.errors.get(0).offset()).as("at the broken record").isEqualTo(16 + 4 + 3);
        }

        @Test
        void sflowTruncatedSamplesAreReportedInsideTheDatagram() {
            byte[] header = rec().u32(5).u32(1).ipv4("192.0.2.1").u32(0).u32(1).u32(1000).u32(1).toBytes();
            Capture c = decode(new FlowDecoder(), header);
            assertThat(c.reasons()).containsExactly(Reason.TRUNCATED);
            assertThat(c.errors.get(0).offset()).isBetween(0, header.length - 1);
        }

        @Test
        void offsetsCountFromTheReaderIndex() {
            byte[] bad = ipfix(1).setWithLength(256, 2, new byte[] {1, 2, 3, 4}).build();
            ByteBuf buf = Unpooled.buffer(100);
            buf.writeBytes(new byte[] {9, 9, 9, 9, 9});
            buf.writeBytes(bad);
            buf.readerIndex(5);
            Capture c = new Capture();
            new FlowDecoder().decode(buf, A, NOW, c);
            assertThat(c.reasons()).containsExactly(Reason.BAD_LENGTH);
            assertThat(c.errors.get(0).offset()).isEqualTo(16);
            assertThat(buf.readerIndex()).isEqualTo(5);
        }

        @Test
        void everyErrorIsCountedByReasonPerExporter() {
            FlowDecoder d = new FlowDecoder();
            decode(d, A, NOW, new byte[] {0, 7});
            decode(d, A, NOW, new byte[] {0, 7});
            decode(d, B, NOW, new byte[] {0});
            assertThat(stats(d, A).errors(Reason.UNKNOWN_VERSION)).isEqualTo(2);
            assertThat(stats(d, B).errors(Reason.TRUNCATED)).isEqualTo(1);
            assertThat(d.statistics().errorCount()).isEqualTo(3);
            assertThat(d.statistics().errors()).containsOnlyKeys(Reason.UNKNOWN_VERSION, Reason.TRUNCATED);
        }
    }
}
