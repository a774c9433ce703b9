package dev.sluice.enrich;

import dev.sluice.core.enrich.Cidr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Longest-prefix match over IPv4 and IPv6 prefixes, as sorted disjoint ranges: built once (overlapping prefixes are
 * flattened so that every address range carries the value of its most specific prefix), then looked up by binary
 * search over primitive arrays, with no allocation. IPv4 lookups in a table of more than {@value #INDEX_THRESHOLD}
 * ranges first narrow the search with a 64K-entry index on the top 16 bits (256 KB); a smaller table, such as a few
 * exporters or internal networks, is scanned whole instead (no index to pull through the CPU caches, and no
 * mispredicted branch). IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are looked up as IPv4. Tables can be
 * {@linkplain #overlay overlaid} into one whose ranges hold the values of all of them. Immutable and thread-safe.
 *
 * @param <T> the value of a prefix
 */
public final class PrefixTable<T> {

    private static final int MIN = Integer.MIN_VALUE;
    /** IPv4 tables with more ranges than this get the top-16-bit index. */
    static final int INDEX_THRESHOLD = 8;

    // IPv4: starts/ends biased by MIN so that signed comparison orders them as unsigned.
    private final int[] v4Start;
    private final int[] v4End;
    private final Object[] v4Value;
    /** First range index whose end >= (top16 << 16), per top-16-bit value (65537 entries); null for a small table. */
    private final int[] v4Index;
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;
    private final Object[] v6Value;

    private PrefixTable(List<Range> v4, List<Range> v6) {
        int n = v4.size();
        v4Start = new int[n];
        v4End = new int[n];
        v4Value = new Object[n];
        for (int i = 0; i < n; i++) {
            Range r = v4.get(i);
            v4Start[i] = (int) r.startLo ^ MIN;
            v4End[i] = (int) r.endLo ^ MIN;
            v4Value[i] = r.value;
        }
        if (n > INDEX_THRESHOLD) {
            v4Index = new int[65537];
            int j = 0;
            for (int top = 0; top < 65536; top++) {
                int blockStart = (top << 16) ^ MIN;
                while (j < n && v4End[j] < blockStart) {
                    j++;
                }
                v4Index[top] = j;
            }
            v4Index[65536] = n;
        } else {
            v4Index = null;
        }
        int m = v6.size();
        v6StartHi = new long[m];
        v6StartLo = new long[m];
        v6EndHi = new long[m];
        v6EndLo = new long[m];
        v6Value = new Object[m];
        for (int i = 0; i < m; i++) {
            Range r = v6.get(i);
            v6StartHi[i] = r.startHi;
            v6StartLo[i] = r.startLo;
            v6EndHi[i] = r.endHi;
            v6EndLo[i] = r.endLo;
            v6Value[i] = r.value;
        }
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** Number of disjoint IPv4 and IPv6 ranges. */
    public int rangeCount() {
        return v4Start.length + v6StartHi.length;
    }

    /** The value of the most specific prefix holding the IPv4 address (big-endian int), or null. */
    @SuppressWarnings("unchecked")
    public T lookupIpv4(int address) {
        int key = address ^ MIN;
        int[] starts = v4Start;
        if (v4Index == null) {
            // A small table: every start compared, no early exit, so the only branch is the loop's own
            int found = -1;
            for (int i = 0; i < starts.length; i++) {
                found = starts[i] <= key ? i : found;
            }
            return found >= 0 && v4End[found] >= key ? (T) v4Value[found] : null;
        }
        // Ranges that may hold addresses of this /16 block: from the first that ends inside it or later, up to and
        // including the first of the next block's (which may start inside this one).
        int top = address >>> 16;
        int base = v4Index[top];
        int n = Math.min(v4Index[top + 1], starts.length - 1) - base + 1;
        if (n <= 0) {
            return null;
        }
        // The last of them with start <= key
        int lo = base;
        int hi = base + n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && v4End[found] >= key ? (T) v4Value[found] : null;
    }

    /** The value for an address of {@code length} 4 or 16 bytes, or null. */
    @SuppressWarnings("unchecked")
    public T lookup(byte[] address, int length) {
        if (length == 4) {
            return lookupIpv4(readInt(address, 0));
        }
        if (length != 16) {
            return null;
        }
        long h = readLong(address, 0);
        long l = readLong(address, 8);
        if (h == 0 && (l >>> 32) == 0xFFFFL) {
            return lookupIpv4((int) l);
        }
        int lo = 0;
        int hi = v6StartHi.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(v6StartHi[mid], v6StartLo[mid], h, l) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && compare(v6EndHi[found], v6EndLo[found], h, l) >= 0 ? (T) v6Value[found] : null;
    }

    /**
     * Overlays tables into one whose value at every address is {@code combine} applied to the tables' values there (in
     * the order of {@code tables}; null for a table with no value at the address). Where {@code combine} answers null
     * the new table has no range. Adjacent pieces with the same answer (by identity) become one range, so
     * {@code combine} should hand out one shared object per distinct combination. One sweep over the tables' ranges:
     * linear in their number; {@code combine} must not keep the array it is given.
     */
    static <R> PrefixTable<R> overlay(List<? extends PrefixTable<?>> tables, Function<Object[], R> combine) {
        int k = tables.size();
        List<Ranges> v4 = new ArrayList<>(k);
        List<Ranges> v6 = new ArrayList<>(k);
        for (PrefixTable<?> t : tables) {
            v4.add(Ranges.v4(t));
            v6.add(Ranges.v6(t));
        }
        return new PrefixTable<>(overlay(v4, 0, 0xFFFFFFFFL, combine), overlay(v6, -1L, -1L, combine));
    }

    private static List<Range> overlay(List<Ranges> tables, long lastHi, long lastLo, Function<Object[], ?> combine) {
        int k = tables.size();
        int[] at = new int[k];
        Object[] values = new Object[k];
        List<Range> out = new ArrayList<>();
        Range open = null; // the range emitted for the previous piece, to extend while the answer stays the same
        long ch = 0;
        long cl = 0;
        while (true) {
            // The piece starting at the cursor ends where some table's range ends or the next one starts.
            long eh = lastHi;
            long el = lastLo;
            for (int i = 0; i < k; i++) {
                Ranges t = tables.get(i);
                int j = at[i];
                while (j < t.n && compare(t.endHi[j], t.endLo[j], ch, cl) < 0) {
                    j++;
                }
                at[i] = j;
                if (j < t.n && compare(t.startHi[j], t.startLo[j], ch, cl) <= 0) {
                    values[i] = t.value[j];
                    if (compare(t.endHi[j], t.endLo[j], eh, el) < 0) {
                        eh = t.endHi[j];
                        el = t.endLo[j];
                    }
                } else {
                    values[i] = null;
                    if (j < t.n) {
                        long bl = t.startLo[j] - 1;
                        long bh = t.startLo[j] == 0 ? t.startHi[j] - 1 : t.startHi[j];
                        if (compare(bh, bl, eh, el) < 0) {
                            eh = bh;
                            el = bl;
                        }
                    }
                }
            }
            Object v = combine.apply(values);
            if (v == null) {
                open = null;
            } else if (open != null && open.value == v) {
                open.endHi = eh;
                open.endLo = el;
            } else {
                open = new Range(ch, cl, eh, el, v);
                out.add(open);
            }
            if (eh == lastHi && el == lastLo) {
                return out;
            }
            cl = el + 1;
            ch = cl == 0 ? eh + 1 : eh;
        }
    }

    /** One family's ranges of a table as unsigned 128-bit bounds (IPv4 in the low word). */
    private static final class Ranges {
        final int n;
        final long[] startHi;
        final long[] startLo;
        final long[] endHi;
        final long[] endLo;
        final Object[] value;

        private Ranges(int n, long[] startHi, long[] startLo, long[] endHi, long[] endLo, Object[] value) {
            this.n = n;
            this.startHi = startHi;
            this.startLo = startLo;
            this.endHi = endHi;
            this.endLo = endLo;
            this.value = value;
        }

        static Ranges v4(PrefixTable<?> t) {
            int n = t.v4Start.length;
            long[] start = new long[n];
            long[] end = new long[n];
            for (int i = 0; i < n; i++) {
                start[i] = (t.v4Start[i] ^ MIN) & 0xFFFFFFFFL;
                end[i] = (t.v4End[i] ^ MIN) & 0xFFFFFFFFL;
            }
            return new Ranges(n, new long[n], start, new long[n], end, t.v4Value);
        }

        static Ranges v6(PrefixTable<?> t) {
            return new Ranges(t.v6StartHi.length, t.v6StartHi, t.v6StartLo, t.v6EndHi, t.v6EndLo, t.v6Value);
        }
    }

    private static int compare(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c != 0 ? c : Long.compareUnsigned(al, bl);
    }

    static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static long readLong(byte[] b, int off) {
        return (readInt(b, off) & 0xFFFFFFFFL) << 32 | (readInt(b, off + 4) & 0xFFFFFFFFL);
    }

    /** Collects prefixes; a prefix added twice keeps the last value. */
    public static final class Builder<T> {
        private final List<Prefix> v4 = new ArrayList<>();
        private final List<Prefix> v6 = new ArrayList<>();

        /** Adds a prefix given as text ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
        public Builder<T> add(String cidr, T value) {
            Cidr c = Cidr.parse(cidr);
            return add(c.networkBytes(), c.prefixLength(), value);
        }

        /** Adds a prefix: {@code address} of 4 or 16 bytes, {@code prefixLength} bits of it. */
        public Builder<T> add(byte[] address, int prefixLength, T value) {
            if (address.length == 4) {
                if (prefixLength < 0 || prefixLength > 32) {
                    throw new IllegalArgumentException("prefix length " + prefixLength);
                }
                long a = readInt(address, 0) & 0xFFFFFFFFL;
                long mask = prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
                v4.add(new Prefix(0, a & mask, 0, (a & mask) | (~mask & 0xFFFFFFFFL), prefixLength, value, v4.size()));
            } else if (address.length == 16) {
                if (prefixLength < 0 || prefixLength > 128) {
                    throw new IllegalArgumentException("prefix length " + prefixLength);
                }
                long h = readLong(address, 0);
                long l = readLong(address, 8);
                long mh = prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
                long ml = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
                v6.add(new Prefix(h & mh, l & ml, (h & mh) | ~mh, (l & ml) | ~ml, prefixLength, value, v6.size()));
            } else {
                throw new IllegalArgumentException("address of " + address.length + " bytes");
            }
            return this;
        }

        public PrefixTable<T> build() {
            return new PrefixTable<>(flatten(v4), flatten(v6));
        }

        /** Sweeps nested/disjoint prefixes (sorted by start, wider first) into disjoint ranges. */
        private static List<Range> flatten(List<Prefix> prefixes) {
            Prefix[] sorted = prefixes.toArray(new Prefix[0]);
            Arrays.sort(sorted, Comparator.<Prefix>comparingInt(p -> 0)
                    .thenComparing((a, b) -> compare(a.startHi, a.startLo, b.startHi, b.startLo))
                    .thenComparingInt(p -> p.length)
                    .thenComparingInt(p -> -p.order)); // duplicates: the last added first, the earlier dropped
            List<Range> out = new ArrayList<>();
            Prefix[] stack = new Prefix[130];
            int depth = 0;
            long curHi = 0;
            long curLo = 0;
            boolean exhausted = false; // the cursor passed the last address
            Prefix last = null;
            for (Prefix p : sorted) {
                if (last != null && last.startHi == p.startHi && last.startLo == p.startLo && last.length == p.length) {
                    continue; // duplicate prefix: keep the later-added one, which sorted first
                }
                last = p;
                while (depth > 0 && compare(stack[depth - 1].endHi, stack[depth - 1].endLo, p.startHi, p.startLo) < 0) {
                    Prefix top = stack[--depth];
                    if (!exhausted && compare(curHi, curLo, top.endHi, top.endLo) <= 0) {
                        out.add(new Range(curHi, curLo, top.endHi, top.endLo, top.value));
                    }
                    if (top.endHi == -1L && top.endLo == -1L) {
                        exhausted = true;
                    } else {
                        long nl = top.endLo + 1;
                        curHi = nl == 0 ? top.endHi + 1 : top.endHi;
                        curLo = nl;
                    }
                }
                if (depth > 0 && !exhausted && compare(curHi, curLo, p.startHi, p.startLo) < 0) {
                    long pl = p.startLo - 1;
                    long ph = p.startLo == 0 ? p.startHi - 1 : p.startHi;
                    out.add(new Range(curHi, curLo, ph, pl, stack[depth - 1].value));
                }
                stack[depth++] = p;
                curHi = p.startHi;
                curLo = p.startLo;
                exhausted = false;
            }
            while (depth > 0) {
                Prefix top = stack[--depth];
                if (!exhausted && compare(curHi, curLo, top.endHi, top.endLo) <= 0) {
                    out.add(new Range(curHi, curLo, top.endHi, top.endLo, top.value));
                }
                if (top.endHi == -1L && top.endLo == -1L) {
                    exhausted = true;
                } else {
                    long nl = top.endLo + 1;
                    curHi = nl == 0 ? top.endHi + 1 : top.endHi;
                    curLo = nl;
                }
            }
            return out;
        }
    }

    private static final class Prefix {
        final long startHi;
        final long startLo;
        final long endHi;
        final long endLo;
        final int length;
        final Object value;
        final int order;

        Prefix(long startHi, long startLo, long endHi, long endLo, int length, Object value, int order) {
            this.startHi = startHi;
            this.startLo = startLo;
            this.endHi = endHi;
            this.endLo = endLo;
            this.length = length;
            this.value = value;
            this.order = order;
        }
    }

    private static final class Range {
        final long startHi;
        final long startLo;
        long endHi;
        long endLo;
        final Object value;

        Range(long startHi, long startLo, long endHi, long endLo, Object value) {
            this.startHi = startHi;
            this.startLo = startLo;
            this.endHi = endHi;
            this.endLo = endLo;
            this.value = value;
        }
    }
}
