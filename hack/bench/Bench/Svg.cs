using System.Globalization;
using System.Security;
using System.Text;

namespace OvsMirror.Bench;

/// <summary>latency-vs-db-size.svg, written by hand (no gnuplot): p50 per sweep point with p10–p90 bars.</summary>
internal static class Svg
{
    private const double Width = 1200;
    private const double Height = 540;
    private const double Left = 70;
    private const double Right = 290;
    private const double Top = 50;
    private const double Bottom = 130;

    private sealed record Series(string Name, string Color, string Dash, IReadOnlyList<Stats> Points);

    public static string LatencyVsDbSize(Results r)
    {
        var svg = new StringBuilder();
        svg.AppendLine(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.AppendLine(Inv($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>"));
        var points = r.Sweep?.Points.OrderBy(p => p.Shape.Rows).ToList() ?? [];
        var title = "ovs-mirror: latency against OVSDB size" + (r.Options.Smoke ? " (SMOKE RUN: meaningless numbers)" : "");
        svg.AppendLine(Inv($"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{Esc(title)}</text>"));
        if (points.Count == 0 || r.Sweep is null)
        {
            svg.AppendLine(Inv($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no sweep data</text>"));
            return svg.AppendLine("</svg>").ToString();
        }

        var sweep = r.Sweep;
        var series = new List<Series>
        {
            new("ovs-mirror ADD", "#1f77b4", "", [.. points.Select(p => sweep.Samples.StatsOf(SweepBench.Name(p.Point, SweepBench.Add)))]),
            new("ovs-mirror DEL", "#ff7f0e", "", [.. points.Select(p => sweep.Samples.StatsOf(SweepBench.Name(p.Point, SweepBench.Del)))]),
            new("ovs-vsctl --no-wait add", "#7f7f7f", "6,4", [.. points.Select(p => sweep.Samples.StatsOf(SweepBench.Name(p.Point, SweepBench.VsctlAdd)))]),
        };
        var refs = new List<(string Name, double Ms, string Color, string Dash)>();
        if (r.Latency is { } lat)
        {
            refs.Add(("bare NativeAOT hello p50", lat.Samples.StatsOf(LatencyBench.Hello).P50, "#2ca02c", "4,4"));
            refs.Add(("/bin/true p50", lat.Samples.StatsOf(LatencyBench.True).P50, "#9467bd", "2,3"));
        }

        var baseAdd = sweep.Samples.StatsOf(SweepBench.Name(sweep.Points[0].Point, SweepBench.Add)).P50;
        refs.Add(("empty-DB ADD p50 + 25%", baseAdd * 1.25, "#1f77b4", "1,3"));

        var yMax = series.SelectMany(s => s.Points).Select(s => s.Percentile(90)).Concat(refs.Select(x => x.Ms))
            .Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max() * 1.1;
        var yStep = NiceStep(yMax / 6);
        yMax = Math.Ceiling(yMax / yStep) * yStep;
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(int i) => Left + (plotW * (i + 0.5) / points.Count);
        double Y(double ms) => Top + plotH - (plotH * ms / yMax);

        // axes and grid
        for (var v = 0.0; v <= yMax + 1e-9; v += yStep)
        {
            svg.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{Y(v):0.0}\" x2=\"{Width - Right}\" y2=\"{Y(v):0.0}\" stroke=\"#e5e5e5\"/>"));
            svg.AppendLine(Inv($"<text x=\"{Left - 8}\" y=\"{Y(v) + 4:0.0}\" text-anchor=\"end\">{v:0.##}</text>"));
        }

        svg.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"black\"/>"));
        svg.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Width - Right}\" y2=\"{Top + plotH}\" stroke=\"black\"/>"));
        svg.AppendLine(Inv($"<text transform=\"translate(18,{Top + (plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">ms per call (p50, bars p10–p90)</text>"));
        for (var i = 0; i < points.Count; i++)
        {
            var (p, shape) = points[i];
            var lines = Wrap(p.Label, 17);
            var label = new StringBuilder(Inv($"<text x=\"{X(i):0.0}\" y=\"{Top + plotH + 18}\" text-anchor=\"middle\" font-size=\"11\">"));
            for (var l = 0; l < lines.Count; l++)
            {
                label.Append(Inv($"<tspan x=\"{X(i):0.0}\" dy=\"{(l == 0 ? 0 : 13)}\">{Esc(lines[l])}</tspan>"));
            }

            label.Append(Inv($"<tspan x=\"{X(i):0.0}\" dy=\"15\" fill=\"#555\">{shape.Rows} rows</tspan>"));
            label.Append(Inv($"<tspan x=\"{X(i):0.0}\" dy=\"13\" fill=\"#555\">{shape.Mirrors} mirrors</tspan></text>"));
            svg.AppendLine(label.ToString());
        }

        svg.AppendLine(Inv($"<text x=\"{Left + (plotW / 2)}\" y=\"{Height - 14}\" text-anchor=\"middle\">OVSDB size: the sweep points in order of Bridge+Port+Interface+Mirror rows</text>"));

        foreach (var (name, ms, color, dash) in refs)
        {
            _ = name;
            if (!double.IsNaN(ms))
            {
                svg.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{Y(ms):0.0}\" x2=\"{Width - Right}\" y2=\"{Y(ms):0.0}\" stroke=\"{color}\" stroke-dasharray=\"{dash}\"/>"));
            }
        }

        // series: p10–p90 bars, p50 polyline and dots; slight x offsets so bars do not overlap
        for (var s = 0; s < series.Count; s++)
        {
            var offset = (s - ((series.Count - 1) / 2.0)) * 8;
            var line = new StringBuilder();
            for (var i = 0; i < points.Count; i++)
            {
                var st = series[s].Points[i];
                if (st.N == 0)
                {
                    continue;
                }

                var x = X(i) + offset;
                svg.AppendLine(Inv($"<line x1=\"{x:0.0}\" y1=\"{Y(st.Percentile(10)):0.0}\" x2=\"{x:0.0}\" y2=\"{Y(st.Percentile(90)):0.0}\" stroke=\"{series[s].Color}\" stroke-width=\"2\" opacity=\"0.6\"/>"));
                line.Append(Inv($"{x:0.0},{Y(st.P50):0.0} "));
                svg.AppendLine(Inv($"<circle cx=\"{x:0.0}\" cy=\"{Y(st.P50):0.0}\" r=\"4\" fill=\"{series[s].Color}\"><title>{Esc(series[s].Name)}: p50 {Stats.Ms(st.P50)} ms</title></circle>"));
            }

            svg.AppendLine(Inv($"<polyline points=\"{line.ToString().Trim()}\" fill=\"none\" stroke=\"{series[s].Color}\" stroke-width=\"1.5\" stroke-dasharray=\"{series[s].Dash}\"/>"));
        }

        // legend, right of the plot
        var lx = Width - Right + 10;
        var ly = Top + 6.0;
        foreach (var s in series)
        {
            svg.AppendLine(Inv($"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 28}\" y2=\"{ly}\" stroke=\"{s.Color}\" stroke-width=\"2\" stroke-dasharray=\"{s.Dash}\"/><circle cx=\"{lx + 14}\" cy=\"{ly}\" r=\"4\" fill=\"{s.Color}\"/>"));
            svg.AppendLine(Inv($"<text x=\"{lx + 36}\" y=\"{ly + 4}\">{Esc(s.Name)}</text>"));
            ly += 18;
        }

        foreach (var (name, ms, color, dash) in refs)
        {
            svg.AppendLine(Inv($"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 28}\" y2=\"{ly}\" stroke=\"{color}\" stroke-dasharray=\"{dash}\"/>"));
            svg.AppendLine(Inv($"<text x=\"{lx + 36}\" y=\"{ly + 4}\">{Esc(name)} ({Stats.Ms(ms)} ms)</text>"));
            ly += 18;
        }

        ly += 10;
        foreach (var note in new[] { $"{r.Machine.Cpus} CPUs, {r.Machine.CpuModel}", $"kernel {r.Machine.Kernel}", $"load at start {r.Machine.LoadAverage}", $"{r.StartedUtc:yyyy-MM-dd HH:mm} UTC, {r.Commit}" })
        {
            svg.AppendLine(Inv($"<text x=\"{lx}\" y=\"{ly + 4}\" fill=\"#555\" font-size=\"11\">{Esc(note)}</text>"));
            ly += 15;
        }
        return svg.AppendLine("</svg>").ToString();
    }

    /// <summary>The label word-wrapped to lines of at most <paramref name="width"/> characters (longer words stay whole).</summary>
    private static List<string> Wrap(string label, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in label.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = line.Length == 0 ? word : line + " " + word;
            }
        }

        lines.Add(line);
        return lines;
    }

    private static double NiceStep(double raw)
    {
        var mag = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(raw, 1e-6))));
        var n = raw / mag;
        return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
    }

    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
