package dev.sluice.core.enrich;

import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.ie.InformationElement;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Map;

/** A record with typed fields only, for chain tests. */
final class StubRecord implements FlowRecord {
    final Map<FlowField, Long> numbers = new EnumMap<>(FlowField.class);
    final Map<FlowField, byte[]> addresses = new EnumMap<>(FlowField.class);
    InetAddress exporter;

    StubRecord exporter(String ip) {
        exporter = addr(ip);
        return this;
    }

    StubRecord set(FlowField f, long v) {
        numbers.put(f, v);
        return this;
    }

    StubRecord address(FlowField f, String ip) {
        addresses.put(f, addr(ip).getAddress());
        return this;
    }

    static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public ExportPacket packet() {
        return (ExportPacket) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ExportPacket.class},
                (p, m, a) -> m.getName().equals("exporter") ? exporter
                        : m.getName().equals("protocol") ? FlowProtocol.IPFIX
                        : m.getReturnType() == long.class ? 0L : m.getReturnType() == int.class ? 0 : null);
    }

    @Override
    public InetAddress exporter() {
        return exporter;
    }

    @Override
    public int templateId() {
        return 256;
    }

    @Override
    public boolean isOptions() {
        return false;
    }

    @Override
    public int scopeFieldCount() {
        return 0;
    }

    @Override
    public boolean has(FlowField field) {
        return numbers.containsKey(field) || addresses.containsKey(field);
    }

    @Override
    public long getLong(FlowField field) {
        return numbers.getOrDefault(field, 0L);
    }

    @Override
    public boolean isIpv6(FlowField field) {
        byte[] a = addresses.get(field);
        return a != null && a.length == 16;
    }

    @Override
    public int ipv4(FlowField field) {
        byte[] a = addresses.get(field);
        return a == null || a.length != 4 ? 0 : Cidr.readInt(a, 0);
    }

    @Override
    public int copyAddress(FlowField field, byte[] dst) {
        byte[] a = addresses.get(field);
        if (a == null) {
            return 0;
        }
        System.arraycopy(a, 0, dst, 0, a.length);
        return a.length;
    }

    @Override
    public long mac(FlowField field) {
        return 0;
    }

    @Override
    public int fieldCount() {
        return 0;
    }

    @Override
    public int elementId(int index) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    public long enterpriseId(int index) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    public int fieldLength(int index) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    public InformationElement element(int index) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    public ByteBuf buffer() {
        return null;
    }

    @Override
    public int fieldOffset(int index) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    public long unsignedValue(int index) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    public byte[] bytesValue(int index) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    public FlowRecord copy() {
        return this;
    }
}
