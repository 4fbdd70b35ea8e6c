package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.run.Formats;
import java.util.Collection;
import java.util.Map;

/** A claim's structured evidence as readable text, numbers rounded ({@code summary.json} keeps them exact). */
public final class Evidence {

    private Evidence() {
    }

    /**
     * @param evidence a claim's evidence
     * @return "name: value; name: value", the value of a lone "detail" entry as is
     */
    public static String text(Map<String, Object> evidence) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : evidence.entrySet()) {
            sb.append(sb.length() == 0 ? "" : "; ");
            if (!e.getKey().equals("detail")) {
                sb.append(e.getKey()).append(": ");
            }
            sb.append(value(e.getValue()));
        }
        return sb.toString();
    }

    /** @return a value rounded for reading */
    public static String value(Object v) {
        if (v instanceof Double || v instanceof Float) {
            return Formats.number(((Number) v).doubleValue());
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            m.forEach((k, x) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(value(x)));
            return sb.toString();
        }
        if (v instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder();
            c.forEach(x -> sb.append(sb.length() == 0 ? "" : ", ").append(value(x)));
            return sb.toString();
        }
        return String.valueOf(v);
    }
}
