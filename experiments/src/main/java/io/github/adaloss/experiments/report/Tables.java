package io.github.adaloss.experiments.report;

import java.util.List;

/** HTML tables of the report; sortable ones sort by a click on a header (numbers numerically). */
public final class Tables {

    /** The script that makes {@code table.sortable} sortable; included once per page. */
    static final String SORT_SCRIPT = "<script>document.querySelectorAll('table.sortable th').forEach(function(th){"
            + "th.addEventListener('click',function(){var t=th.closest('table'),i=Array.prototype.indexOf.call("
            + "th.parentNode.children,th),b=t.tBodies[0],rows=Array.from(b.rows),asc=th.dataset.asc!=='1';"
            + "th.dataset.asc=asc?'1':'0';function v(r){var s=r.cells[i].textContent.trim(),m=s.match("
            + "/^-?[0-9.]+(e-?[0-9]+)?/);return m?parseFloat(m[0]):s;}rows.sort(function(x,y){var a=v(x),c=v(y);"
            + "if(typeof a==='number'&&typeof c==='number'){return asc?a-c:c-a;}return asc?String(a).localeCompare("
            + "String(c)):String(c).localeCompare(String(a));});rows.forEach(function(r){b.appendChild(r);});});});"
            + "</script>\n";

    private Tables() {
    }

    /**
     * @param headers  column headers
     * @param rows     cells (plain text, escaped here)
     * @param sortable whether a click on a header sorts
     * @return the table
     */
    public static String html(List<String> headers, List<List<String>> rows, boolean sortable) {
        StringBuilder h = new StringBuilder(sortable ? "<table class=\"sortable\">" : "<table>").append("<thead><tr>");
        for (String c : headers) {
            h.append("<th>").append(Html.escape(c)).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (List<String> row : rows) {
            h.append("<tr>");
            for (String cell : row) {
                h.append("<td>").append(Html.escape(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody></table>\n").toString();
    }
}
