using System.Globalization;
using System.Net;
using System.Text;

namespace PyCog.Interactive;

/// <summary>Small HTML pieces shared by the displays: escaped text, key-value tables, numbers.</summary>
static class Html
{
    public static string Text(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Number(double v, string format = "G4") =>
        double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A two-column table of (label, HTML value) rows under an optional title.</summary>
    public static string Card(string title, IEnumerable<(string Label, string Value)> rows, string? after = null)
    {
        var b = new StringBuilder();
        b.Append("<div style=\"font-family:sans-serif;font-size:13px\">");
        b.Append($"<div style=\"font-weight:bold;margin:4px 0\">{Text(title)}</div>");
        b.Append("<table style=\"border-collapse:collapse\">");
        foreach (var (label, value) in rows)
            b.Append($"<tr><td style=\"padding:1px 12px 1px 0;color:#555;text-align:left\">{Text(label)}</td><td style=\"text-align:left\">{value}</td></tr>");
        b.Append("</table>");
        if (after is not null) b.Append(after);
        b.Append("</div>");
        return b.ToString();
    }

    /// <summary>A table with a header row; cells are HTML.</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var b = new StringBuilder("<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\"><tr>");
        foreach (var h in header) b.Append($"<th style=\"padding:2px 10px;border-bottom:1px solid #999;text-align:right\">{Text(h)}</th>");
        b.Append("</tr>");
        foreach (var row in rows)
        {
            b.Append("<tr>");
            foreach (var cell in row) b.Append($"<td style=\"padding:1px 10px;text-align:right\">{cell}</td>");
            b.Append("</tr>");
        }
        return b.Append("</table>").ToString();
    }
}
