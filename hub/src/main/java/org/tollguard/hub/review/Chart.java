package org.tollguard.hub.review;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart the page draws as inline SVG (nothing loaded from anywhere): the shapes' coordinates are computed here,
 * the template only places them. Bars for counts per interval, a line for a level over time.
 */
public record Chart(String title, int width, int height, long max, List<Bar> bars, String linePoints,
                    List<Tick> ticks, String summary) {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 180;
    static final int LEFT = 48;
    static final int BOTTOM = 22;
    static final int TOP = 8;

    public record Bar(double x, double y, double width, double height, String tooltip) {}

    public record Tick(double x, String label) {}

    public record Point(Instant at, long value) {}

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public double plotBottom() {
        return height - BOTTOM;
    }

    public double plotLeft() {
        return LEFT;
    }

    public double plotRight() {
        return width;
    }

    public double plotTop() {
        return TOP;
    }

    static Chart bars(String title, List<Point> points, String unit) {
        long max = Math.max(1, points.stream().mapToLong(Point::value).max().orElse(1));
        double plotWidth = WIDTH - LEFT;
        double slot = plotWidth / Math.max(1, points.size());
        double plotHeight = HEIGHT - BOTTOM - TOP;
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double h = plotHeight * p.value() / max;
            bars.add(new Bar(LEFT + i * slot + 1, HEIGHT - BOTTOM - h, Math.max(1, slot - 2), h,
                    HOUR.format(p.at()) + " UTC: " + p.value() + " " + unit));
        }
        long total = points.stream().mapToLong(Point::value).sum();
        return new Chart(title, WIDTH, HEIGHT, max, bars, "", ticks(points, slot),
                total + " " + unit + " in the last " + points.size() + " hours");
    }

    static Chart line(String title, List<Point> points, String unit) {
        long max = Math.max(1, points.stream().mapToLong(Point::value).max().orElse(1));
        double plotWidth = WIDTH - LEFT;
        double plotHeight = HEIGHT - BOTTOM - TOP;
        StringBuilder line = new StringBuilder();
        double step = points.size() > 1 ? plotWidth / (points.size() - 1) : 0;
        for (int i = 0; i < points.size(); i++) {
            double x = LEFT + i * step;
            double y = HEIGHT - BOTTOM - plotHeight * points.get(i).value() / max;
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        long last = points.isEmpty() ? 0 : points.get(points.size() - 1).value();
        return new Chart(title, WIDTH, HEIGHT, max, List.of(), line.toString().strip(), ticks(points, step),
                "now " + last + " " + unit);
    }

    private static List<Tick> ticks(List<Point> points, double slot) {
        List<Tick> ticks = new ArrayList<>();
        int every = Math.max(1, points.size() / 6);
        for (int i = 0; i < points.size(); i += every) {
            ticks.add(new Tick(LEFT + i * slot, HOUR.format(points.get(i).at())));
        }
        return ticks;
    }
}
