package dev.sluice.decoders;

import static dev.sluice.decoders.ExportPacketBuilder.f;

import dev.sluice.decoders.ExportPacketBuilder.Field;
import dev.sluice.decoders.ExportPacketBuilder.Ipfix;
import dev.sluice.decoders.ExportPacketBuilder.Message;
import dev.sluice.decoders.ExportPacketBuilder.Rec;
import dev.sluice.decoders.ExportPacketBuilder.V9;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A source of random but mostly well-formed datagrams: IPFIX and NetFlow v9 messages with random templates,
 * options templates, withdrawals and data sets (often matching a template it sent before, with variable-length,
 * enterprise and zero-length fields), NetFlow v5 packets, mutated corpus datagrams and plain random bytes
 * behind a valid version. Reproducible from its seed.
 */
final class FuzzDatagrams {

    /** Element ids the decoder gives meaning to (typed fields, times, sampling), plus a few others. */
    private static final int[] INTERESTING_IDS = {
        1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22, 23, 24, 27, 28, 29, 30, 32, 34, 35, 48,
        49, 50, 56, 57, 58, 59, 60, 61, 62, 63, 80, 81, 85, 86, 136, 139, 150, 151, 152, 153, 154, 155, 156, 157,
        158, 159, 160, 180, 181, 182, 183, 210, 243, 254, 302, 305, 0, 0x7FFF
    };
    private static final int[] LENGTHS = {0, 1, 2, 3, 4, 4, 4, 6, 8, 8, 16, 5, 7, 9, ExportPacketBuilder.VARIABLE};

    private final Random rnd;
    private final List<FuzzCorpus.Seed> seeds;
    private final List<Object[]> ipfixTemplates = new ArrayList<>();
    private final List<Object[]> v9Templates = new ArrayList<>();

    FuzzDatagrams(long seed) {
        this.rnd = new Random(seed);
        this.seeds = FuzzCorpus.seeds();
    }

    Random random() {
        return rnd;
    }

    byte[] next() {
        switch (rnd.nextInt(12)) {
            case 0: case 1: case 2: case 3:
                return ipfix();
            case 4: case 5: case 6:
                return v9();
            case 7:
                return v5();
            case 8: case 9:
                return mutatedSeed();
            case 10:
                return randomWithVersion();
            default:
                return ExportPacketBuilder.concat(ipfix(), rnd.nextBoolean() ? ipfix() : v5());
        }
    }

    byte[] randomWithVersion() {
        int[] versions = {5, 9, 10};
        byte[] b = new byte[2 + rnd.nextInt(rnd.nextBoolean() ? 64 : 1500)];
        rnd.nextBytes(b);
        FuzzLengthFields.put16(b, 0, versions[rnd.nextInt(3)]);
        if (b.length >= 4 && rnd.nextBoolean()) {
            FuzzLengthFields.put16(b, 2, FuzzLengthFields.u16(b, 0) == 10 ? b.length : rnd.nextInt(32));
        }
        return b;
    }

    byte[] mutatedSeed() {
        FuzzCorpus.Seed s = seeds.get(rnd.nextInt(seeds.size()));
        byte[] b = s.packet().clone();
        if (b.length == 0) {
            return b;
        }
        for (int i = 1 + rnd.nextInt(8); i > 0; i--) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    byte[] v5() {
        ExportPacketBuilder.V5 p = ExportPacketBuilder.v5().sysUptime(rnd.nextInt() & 0xFFFFFFFFL)
                .unixTime(1_700_000_000L + rnd.nextInt(1000), rnd.nextInt(1_100_000_000))
                .engine(rnd.nextInt(256), rnd.nextInt(256)).sampling(rnd.nextInt(4), rnd.nextInt(0x4000));
        for (int i = rnd.nextInt(5); i > 0; i--) {
            p.record(ExportPacketBuilder.v5Record().counts(rnd.nextInt(100), rnd.nextInt(100000))
                    .switched(rnd.nextInt() & 0xFFFFFFFFL, rnd.nextInt() & 0xFFFFFFFFL)
                    .ports(rnd.nextInt(65536), rnd.nextInt(65536)).protocol(rnd.nextInt(256), rnd.nextInt(256), 0));
        }
        if (rnd.nextInt(8) == 0) {
            p.count(rnd.nextInt(40));
        }
        return p.build();
    }

    byte[] ipfix() {
        Ipfix m = ExportPacketBuilder.ipfix(domain()).exportTime(1_700_000_000L + rnd.nextInt(1000))
                .sequence(rnd.nextInt(1000));
        sets(m, true, ipfixTemplates);
        if (rnd.nextInt(10) == 0) {
            m.length(rnd.nextInt(0x10000));
        }
        return m.build();
    }

    byte[] v9() {
        V9 m = ExportPacketBuilder.v9(domain()).sysUptime(rnd.nextInt() & 0xFFFFFFFFL)
                .unixSeconds(1_700_000_000L + rnd.nextInt(1000));
        sets(m, false, v9Templates);
        return m.build();
    }

    private long domain() {
        int k = rnd.nextInt(10);
        return k < 7 ? k % 3 : rnd.nextInt() & 0xFFFFFFFFL;
    }

    private int templateId() {
        return 256 + rnd.nextInt(rnd.nextInt(4) == 0 ? 65280 : 12);
    }

    private Field field(boolean ipfix) {
        int id = rnd.nextInt(5) == 0 ? rnd.nextInt(0x8000) : INTERESTING_IDS[rnd.nextInt(INTERESTING_IDS.length)];
        int len = rnd.nextInt(12) == 0 ? rnd.nextInt(300) : LENGTHS[rnd.nextInt(LENGTHS.length)];
        if (ipfix && rnd.nextInt(8) == 0) {
            long pen = rnd.nextBoolean() ? new long[] {9, 5951, 29305, 6871, 0xFFFFFFFFL}[rnd.nextInt(5)]
                    : rnd.nextInt() & 0xFFFFFFFFL;
            return ExportPacketBuilder.ef(pen, id, len);
        }
        return f(id, len);
    }

    private Field[] fields(boolean ipfix) {
        Field[] fs = new Field[1 + rnd.nextInt(rnd.nextInt(6) == 0 ? 80 : 12)];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = field(ipfix);
        }
        return fs;
    }

    private void sets(Message<?> m, boolean ipfix, List<Object[]> known) {
        for (int n = 1 + rnd.nextInt(5); n > 0; n--) {
            int k = rnd.nextInt(10);
            if (k < 2) {
                int count = 1 + rnd.nextInt(3);
                byte[][] recs = new byte[count][];
                for (int i = 0; i < count; i++) {
                    int id = templateId();
                    Field[] fs = fields(ipfix);
                    remember(known, id, fs, 0);
                    recs[i] = m.templateRecord(id, fs);
                }
                m.templates(recs);
            } else if (k == 2) {
                int id = templateId();
                Field[] fs = fields(ipfix);
                int scopes = 1 + rnd.nextInt(Math.min(2, fs.length));
                if (!ipfix) {
                    fs[0] = f(1 + rnd.nextInt(5), 4);
                }
                if (rnd.nextBoolean() && fs.length > scopes + 1) {
                    // sampling options: sampler / selector id and interval
                    fs[scopes] = f(ipfix ? 305 : (rnd.nextBoolean() ? 34 : 50), 4);
                    fs[scopes + 1] = f(ipfix ? 302 : 48, rnd.nextBoolean() ? 1 : 2);
                }
                if (ipfix && rnd.nextInt(4) == 0) {
                    fs[fs.length - 1] = f(160, 8);
                }
                remember(known, id, fs, scopes);
                m.optionsTemplate(id, scopes, fs);
            } else if (k == 3 && ipfix) {
                Ipfix x = (Ipfix) m;
                switch (rnd.nextInt(4)) {
                    case 0 -> x.withdraw(templateId());
                    case 1 -> x.withdrawOptions(templateId());
                    case 2 -> x.withdrawAll();
                    default -> x.withdrawAllOptions();
                }
            } else if (k == 4) {
                byte[] body = new byte[rnd.nextInt(rnd.nextBoolean() ? 8 : 300)];
                rnd.nextBytes(body);
                int id = rnd.nextInt(8) == 0 ? rnd.nextInt(256) : templateId();
                if (rnd.nextBoolean()) {
                    m.set(id, body);
                } else {
                    m.setWithLength(id, rnd.nextInt(0x10000), body);
                }
            } else if (k == 5) {
                m.raw(new byte[rnd.nextInt(9)]);
            } else if (!known.isEmpty()) {
                Object[] t = known.get(rnd.nextInt(known.size()));
                Field[] fs = (Field[]) t[1];
                Rec[] recs = new Rec[1 + rnd.nextInt(4)];
                for (int i = 0; i < recs.length; i++) {
                    recs[i] = record(fs);
                }
                m.dataPadded((Integer) t[0], rnd.nextInt(4) == 0 ? rnd.nextInt(6) : 0, recs);
            }
        }
    }

    private void remember(List<Object[]> known, int id, Field[] fs, int scopes) {
        if (known.size() >= 32) {
            known.remove(rnd.nextInt(known.size()));
        }
        known.add(new Object[] {id, fs, scopes});
    }

    private Rec record(Field[] fs) {
        Rec r = ExportPacketBuilder.rec();
        for (Field f : fs) {
            if (f.length() == ExportPacketBuilder.VARIABLE) {
                byte[] v = new byte[rnd.nextInt(10) == 0 ? 255 + rnd.nextInt(300) : rnd.nextInt(20)];
                rnd.nextBytes(v);
                if (rnd.nextInt(5) == 0) {
                    r.varLen3(v);
                } else {
                    r.varLen(v);
                }
            } else {
                byte[] v = new byte[f.length()];
                rnd.nextBytes(v);
                r.bytes(v);
            }
        }
        if (rnd.nextInt(20) == 0 && r.size() > 0) {
            // a record cut short
            byte[] b = r.toBytes();
            return ExportPacketBuilder.rec().bytes(java.util.Arrays.copyOf(b, rnd.nextInt(b.length)));
        }
        return r;
    }
}
