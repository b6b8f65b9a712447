package io.shepherd.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table, columns padded to their widest cell; also printable as Markdown for the docs. */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(List<String> header) {
    this.header = List.copyOf(header);
  }

  Table row(List<String> cells) {
    rows.add(List.copyOf(cells));
    return this;
  }

  Table row(String first, List<String> rest) {
    List<String> cells = new ArrayList<>();
    cells.add(first);
    cells.addAll(rest);
    return row(cells);
  }

  String render() {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], i < r.size() ? r.get(i).length() : 0);
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, width);
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    line(out, rule, width);
    rows.forEach(r -> line(out, r, width));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] width) {
    out.append("| ");
    for (int i = 0; i < width.length; i++) {
      String c = i < cells.size() ? cells.get(i) : "";
      out.append(c).append(" ".repeat(width[i] - c.length())).append(i + 1 < width.length ? " | " : " |");
    }
    out.append('\n');
  }
}
