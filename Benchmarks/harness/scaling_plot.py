"""The scaling curve: fit time and peak memory against documents, log-log, as a hand-written SVG.

The fitted slope of log(cost) against log(documents) says how cost grows: 1.0 is linear.
"""
import math

WIDTH, HEIGHT = 980, 400
PANEL_W, PANEL_H = 360, 280
MARGIN_LEFT, MARGIN_TOP = 70, 50
COLORS = {"ArxivDigest": "#1f77b4", "sklearn": "#d62728", "ArxivDigest LR": "#2ca02c"}


def collect(results):
    """{system: {size: {'fit_seconds', 'vectorizer_seconds', 'model_seconds', 'peak_rss_mb'}}}"""
    series = {}
    for row in results["rows"]:
        dataset = row["dataset"]
        if not dataset.startswith("arxiv-categories-scaling-"):
            continue
        size = int(dataset.rsplit("-", 1)[1])
        point = series.setdefault(row["system"], {}).setdefault(size, {})
        if row["stage"] == "vectorizer_fit_transform":
            point["vectorizer_seconds"] = row["seconds"]
        elif row["stage"] == "model_fit":
            point["model_seconds"] = row["seconds"]
        elif row["stage"] == "process":
            point["peak_rss_mb"] = row["peak_rss_mb"]
    for points in series.values():
        for point in points.values():
            if "vectorizer_seconds" in point and "model_seconds" in point:
                point["fit_seconds"] = point["vectorizer_seconds"] + point["model_seconds"]
    return series


def slope(points):
    """Least-squares slope of log10(y) on log10(x)."""
    pairs = [(math.log10(x), math.log10(y)) for x, y in points if x > 0 and y and y > 0]
    if len(pairs) < 2:
        return None
    mx = sum(p[0] for p in pairs) / len(pairs)
    my = sum(p[1] for p in pairs) / len(pairs)
    sxx = sum((p[0] - mx) ** 2 for p in pairs)
    return sum((p[0] - mx) * (p[1] - my) for p in pairs) / sxx if sxx else None


def _decades(lo, hi):
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if a == b:
        b += 1
    return a, b


def _fmt(value):
    if value >= 1:
        return f"{value:,.0f}"
    return f"{value:g}"


def _panel(x0, title, unit, series_points):
    """SVG elements of one log-log panel. series_points: [(label, color, dash, [(x, y)])]."""
    xs = [x for _, _, _, pts in series_points for x, _ in pts]
    ys = [y for _, _, _, pts in series_points for _, y in pts if y and y > 0]
    if not xs or not ys:
        return []
    xa, xb = _decades(min(xs), max(xs))
    ya, yb = _decades(min(ys), max(ys))

    def px(x):
        return x0 + (math.log10(x) - xa) / (xb - xa) * PANEL_W

    def py(y):
        return MARGIN_TOP + PANEL_H - (math.log10(y) - ya) / (yb - ya) * PANEL_H

    out = [f'<text x="{x0 + PANEL_W / 2}" y="{MARGIN_TOP - 18}" text-anchor="middle" font-size="15" '
           f'font-weight="bold">{title}</text>',
           f'<rect x="{x0}" y="{MARGIN_TOP}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#333"/>']
    for e in range(xa, xb + 1):
        x = px(10 ** e)
        out.append(f'<line x1="{x:.1f}" y1="{MARGIN_TOP}" x2="{x:.1f}" y2="{MARGIN_TOP + PANEL_H}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{MARGIN_TOP + PANEL_H + 18}" text-anchor="middle" font-size="12">'
                   f'{_fmt(10 ** e)}</text>')
    for e in range(ya, yb + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + PANEL_W}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{_fmt(10 ** e)}</text>')
    out.append(f'<text x="{x0 + PANEL_W / 2}" y="{MARGIN_TOP + PANEL_H + 38}" text-anchor="middle" '
               f'font-size="13">training documents</text>')
    out.append(f'<text x="{x0 - 52}" y="{MARGIN_TOP + PANEL_H / 2}" text-anchor="middle" font-size="13" '
               f'transform="rotate(-90 {x0 - 52} {MARGIN_TOP + PANEL_H / 2})">{unit}</text>')
    legend_y = MARGIN_TOP + 16
    # A dotted slope-1 (linear) guide through the first series' smallest point.
    first = sorted(p for p in series_points[0][3] if p[1] and p[1] > 0)
    if first:
        x1, y1 = first[0]
        x2 = 10 ** xb
        y2 = y1 * x2 / x1
        if y2 > 10 ** yb:
            x2, y2 = x1 * 10 ** yb / y1, 10 ** yb
        out.append(f'<line x1="{px(x1):.1f}" y1="{py(y1):.1f}" x2="{px(x2):.1f}" y2="{py(y2):.1f}" stroke="#999" '
                   f'stroke-width="1" stroke-dasharray="2,3"/>')
        out.append(f'<text x="{px(x2) - 4:.1f}" y="{py(y2) + 14:.1f}" text-anchor="end" font-size="11" '
                   f'fill="#777">linear</text>')
    for label, color, dash, pts in series_points:
        pts = sorted(p for p in pts if p[1] and p[1] > 0)
        if not pts:
            continue
        path = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(pts))
        out.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>')
        for x, y in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{color}"><title>{label}: '
                       f'{_fmt(x)} docs, {y:.3g} {unit}</title></circle>')
        s = slope(pts)
        text = label + (f" (slope {s:.2f})" if s is not None else "")
        out.append(f'<line x1="{x0 + 10}" y1="{legend_y - 4}" x2="{x0 + 34}" y2="{legend_y - 4}" stroke="{color}" '
                   f'stroke-width="2" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{x0 + 40}" y="{legend_y}" font-size="12">{text}</text>')
        legend_y += 16
    return out


def write(results, path):
    """Writes the SVG and returns the scaling summary (points and slopes) for the report."""
    series = collect(results)
    if not series:
        return None
    time_series, memory_series, summary = [], [], {}
    for system, points in sorted(series.items()):
        logreg = "/LogisticRegression/" in system
        short = system.split("/")[0] + (" LR" if logreg else "")
        color = COLORS.get(short, "#555")
        fit = [(n, p.get("fit_seconds")) for n, p in sorted(points.items())]
        vec = [(n, p.get("vectorizer_seconds")) for n, p in sorted(points.items())]
        mem = [(n, p.get("peak_rss_mb")) for n, p in sorted(points.items())]
        if logreg:
            # The vectoriser is the NB line's; this line is the vectoriser + the 100-iteration L-BFGS fit.
            time_series.append((f"{short}: vectoriser + LR fit (100 it.)", color, "", fit))
        else:
            time_series.append((f"{short} vectoriser + NB fit", color, "", fit))
            time_series.append((f"{short} vectoriser only", color, "5,4", vec))
        memory_series.append((f"{short} peak RSS", color, "", mem))
        summary[system] = {"points": {str(n): p for n, p in sorted(points.items())},
                           "slope_fit_seconds": slope(fit), "slope_vectorizer_seconds": slope(vec),
                           "slope_peak_rss_mb": slope(mem),
                           "slope_fit_seconds_largest_two": _slope_of_largest_two(fit),
                           "slope_peak_rss_mb_largest_two": _slope_of_largest_two(mem)}
    elements = _panel(MARGIN_LEFT, "Fit time (s) vs documents", "seconds", time_series)
    elements += _panel(MARGIN_LEFT + PANEL_W + 110, "Peak memory (MB) vs documents", "MiB", memory_series)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">\n'
           f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(elements) +
           f'\n<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#555">'
           f'arxiv-categories, unigram TF-IDF + MultinomialNB (and logistic regression, 70 classes); log-log; slope 1 = linear</text>\n</svg>\n')
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(svg)
    return summary


def _slope_of_largest_two(points):
    """Slope between the two largest sizes: the growth rate once start-up costs no longer dominate."""
    pts = sorted((x, y) for x, y in points if y)
    return slope(pts[-2:]) if len(pts) >= 2 else None
