package io.viewpush.json;

import io.viewpush.PushException;

/**
 * A row cannot be written as JSON: a text value (or a field name) is not valid Unicode, or a
 * number cannot be written exactly. The message names the view, the field and the row's key, so
 * the bad data can be found and fixed; nothing is ever silently replaced.
 */
public class RowEncodingException extends PushException {
    private static final long serialVersionUID = 1L;

    private final String view;
    private final String field;
    private final String rowKey;

    /**
     * @param view   the view's name
     * @param field  the field whose value (or name) is bad
     * @param rowKey the row's key, as text
     * @param detail what is wrong
     */
    public RowEncodingException(String view, String field, String rowKey, String detail) {
        super("view '" + view + "', field '" + field + "', row with key " + rowKey + ": " + detail);
        this.view = view;
        this.field = field;
        this.rowKey = rowKey;
    }

    /** @return the view's name */
    public String view() {
        return view;
    }

    /** @return the field whose value (or name) cannot be written */
    public String field() {
        return field;
    }

    /** @return the key of the row, as text */
    public String rowKey() {
        return rowKey;
    }
}
