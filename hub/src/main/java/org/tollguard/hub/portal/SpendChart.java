package org.tollguard.hub.portal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.protocol.Heartbeat.AccountSpend;

/**
 * Today's spend of each account against its threshold, drawn as inline SVG: the baseline (the window's daily
 * average) as a pale bar behind, today's spend in front (red once past the threshold), the threshold as a mark.
 * Coordinates are computed here; the template only places them.
 */
public record SpendChart(int width, int height, List<Row> rows, String scale) {
    static final int WIDTH = 640;
    static final int LABEL = 120;
    static final int ROW = 26;
    static final int BAR = 16;

    public record Row(String account, double y, double baselineWidth, double spendWidth, double thresholdX,
                      boolean over, String tooltip) {}

    public static SpendChart of(List<AccountSpend> spend) {
        BigDecimal max = BigDecimal.ONE;
        for (AccountSpend s : spend) {
            max = max.max(s.today()).max(s.threshold());
        }
        double plot = WIDTH - LABEL - 10;
        List<Row> rows = new ArrayList<>();
        int i = 0;
        for (AccountSpend s : spend) {
            double y = 6 + i++ * ROW;
            boolean over = s.today().compareTo(s.threshold()) > 0;
            rows.add(new Row(s.account(), y, scaled(s.baseline(), max, plot), scaled(s.today(), max, plot),
                    LABEL + scaled(s.threshold(), max, plot), over,
                    s.account() + ": today " + money(s.today()) + " " + s.currency() + ", baseline "
                            + money(s.baseline()) + ", threshold " + money(s.threshold()) + (over ? " (over)" : "")));
        }
        return new SpendChart(WIDTH, Math.max(ROW, 12 + rows.size() * ROW), rows,
                "scale 0 to " + money(max) + (spend.isEmpty() ? "" : " " + spend.get(0).currency()));
    }

    public int label() {
        return LABEL;
    }

    public int bar() {
        return BAR;
    }

    private static double scaled(BigDecimal value, BigDecimal max, double plot) {
        double v = value == null ? 0 : value.doubleValue();
        return Math.round(Math.max(0, v) / max.doubleValue() * plot * 10) / 10.0;
    }

    private static String money(BigDecimal v) {
        return v == null ? "0" : v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
