package io.viewpush.engine;

import io.viewpush.PushException;

/** The engine has no view of that name (or, for push operations, the view has no push policy). */
public class UnknownViewException extends PushException {
    private static final long serialVersionUID = 1L;

    private final String view;

    /**
     * @param view    the name asked for
     * @param message what is wrong
     */
    public UnknownViewException(String view, String message) {
        super(message);
        this.view = view;
    }

    /** @return the name asked for */
    public String view() {
        return view;
    }
}
