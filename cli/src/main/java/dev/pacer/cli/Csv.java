package dev.pacer.cli;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; each record knows its first line. */
final class Csv {

    record Row(int line, List<String> cells) {
    }

    private Csv() {
    }

    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean rowHasContent = false;
        int line = 1;
        int rowStart = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
                rowHasContent = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                rowHasContent = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (rowHasContent || !cell.isEmpty()) {
                    cells.add(cell.toString());
                    rows.add(new Row(rowStart, List.copyOf(cells)));
                }
                cells.clear();
                cell.setLength(0);
                rowHasContent = false;
                line++;
                rowStart = line;
            } else {
                cell.append(c);
                rowHasContent = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + rowStart + ": a quoted field is never closed");
        }
        if (rowHasContent || !cell.isEmpty()) {
            cells.add(cell.toString());
            rows.add(new Row(rowStart, List.copyOf(cells)));
        }
        return rows;
    }
}
