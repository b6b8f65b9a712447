package io.shepherd.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A cumulative distribution chart as a PNG, drawn with Java2D (headless): no plotting package needed. One line
 * per series, x in milliseconds on a log scale, y the fraction of samples at most x.
 */
final class Plot {
  private static final Color[] COLORS = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)};
  private static final int W = 900;
  private static final int PLOT_HEIGHT = 410;
  private static final int LEFT = 70;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final int LEGEND_LINE = 22;

  private Plot() {}

  static void cdf(Path png, String title, String xLabel, Map<String, List<Double>> series) throws IOException {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (List<Double> s : series.values()) {
      for (double v : s) {
        lo = Math.min(lo, Math.max(v, 0.01));
        hi = Math.max(hi, v);
      }
    }
    double x0 = Math.pow(10, Math.floor(Math.log10(lo)));
    double x1 = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, x0 * 10))));
    int h = TOP + PLOT_HEIGHT + BOTTOM + LEGEND_LINE * series.size() + 10;
    BufferedImage img = new BufferedImage(W, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, h);
    int pw = W - LEFT - RIGHT;
    int ph = PLOT_HEIGHT;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double d = x0; d <= x1 * 1.0001; d *= 10) {
      for (int m = 1; m < 10 && d * m <= x1 * 1.0001; m++) {
        int x = LEFT + (int) Math.round(pw * Math.log10(d * m / x0) / Math.log10(x1 / x0));
        g.setColor(m == 1 ? new Color(0xbbbbbb) : new Color(0xeeeeee));
        g.drawLine(x, TOP, x, TOP + ph);
        if (m == 1) {
          g.setColor(Color.DARK_GRAY);
          String label = d >= 1 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%s", d);
          g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
        }
      }
    }
    for (int q = 0; q <= 10; q++) {
      int y = TOP + ph - ph * q / 10;
      g.setColor(q == 5 || q == 9 || q == 0 || q == 10 ? new Color(0xbbbbbb) : new Color(0xeeeeee));
      g.drawLine(LEFT, y, LEFT + pw, y);
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, "%.1f", q / 10.0);
      g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, pw, ph);
    g.drawString(xLabel, LEFT + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, TOP + ph + 40);
    g.rotate(-Math.PI / 2);
    g.drawString("fraction of samples \u2264 x", -(TOP + ph / 2) - 60, 18);
    g.rotate(Math.PI / 2);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int i = 0;
    for (Map.Entry<String, List<Double>> e : series.entrySet()) {
      List<Double> s = new ArrayList<>(e.getValue());
      Collections.sort(s);
      Color c = COLORS[i % COLORS.length];
      g.setColor(c);
      g.setStroke(new BasicStroke(2.2f));
      int px = -1;
      int py = TOP + ph;
      for (int k = 0; k < s.size(); k++) {
        int x = LEFT + (int) Math.round(pw * Math.log10(Math.max(s.get(k), x0) / x0) / Math.log10(x1 / x0));
        int y = TOP + ph - (int) Math.round(ph * (k + 1.0) / s.size());
        if (px >= 0) {
          g.drawLine(px, py, x, py);
          g.drawLine(x, py, x, y);
        }
        px = x;
        py = y;
      }
      Stats st = Stats.of(s);
      String legend = String.format(Locale.ROOT, "%s (n=%d): p50 %s ms, p99 %s ms, max %s ms", e.getKey(), st.n(),
          Stats.ms(st.p50()), Stats.ms(st.p99()), Stats.ms(st.max()));
      int y = TOP + ph + BOTTOM + LEGEND_LINE * i;
      g.fillRect(LEFT, y + 6, 18, 4);
      g.setColor(Color.BLACK);
      g.drawString(legend, LEFT + 26, y + 12);
      i++;
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }

  /** A map that keeps the order series were added in. */
  static Map<String, List<Double>> series() {
    return new LinkedHashMap<>();
  }
}
