package dev.sluice.enrich;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Minimal CSV: comma-separated, optional double quotes ("" inside), '#' comment lines, blank lines skipped. */
final class Csv {

    private Csv() {
    }

    /** Rows of the file, each with its line number at index 0 of {@code lines}. */
    static List<String[]> read(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            rows.add(split(line));
        }
        return rows;
    }

    static String[] split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        cells.add(cur.toString().strip());
        return cells.toArray(new String[0]);
    }

    static String cell(String[] row, int i) {
        return i < row.length && !row[i].isEmpty() ? row[i] : null;
    }

    static List<String> list(String cell) {
        List<String> out = new ArrayList<>();
        if (cell != null) {
            for (String s : cell.split("[|;]")) {
                if (!s.isBlank()) {
                    out.add(s.strip().intern());
                }
            }
        }
        return out;
    }
}
