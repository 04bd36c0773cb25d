package dev.beatline.intake.internal;

/**
 * A field holds a JSON value of the wrong kind. Protocol adapters may re-phrase it in their peer's words (the
 * Elastic intake answers as apm-server's JSON decoder does); the default message names the field.
 */
public class TypeMismatchException extends ValidationException {

    /** What the field should have held. */
    public enum Expected {
        STRING, NUMBER, BOOLEAN, OBJECT, STRING_OR_NUMBER
    }

    private final String where;
    private final String field;
    private final Expected expected;

    public TypeMismatchException(String where, String field, Expected expected) {
        super(where + ": '" + field + "' must be " + switch (expected) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case STRING_OR_NUMBER -> "a string or a number";
        });
        this.where = where;
        this.field = field;
        this.expected = expected;
    }

    /** The path of the object holding the field, e.g. {@code validation error: transaction: context.response}. */
    public String where() {
        return where;
    }

    public String field() {
        return field;
    }

    public Expected expected() {
        return expected;
    }
}
