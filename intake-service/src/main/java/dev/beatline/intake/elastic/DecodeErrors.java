package dev.beatline.intake.elastic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import dev.beatline.intake.internal.TypeMismatchException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Phrases decoding errors as apm-server's JSON decoder (jsoniter over apm-data's v2 structs) does, e.g.
 * {@code v2.transactionRoot.Transaction: v2.transaction.ID: ReadString: expects " or n,}, so agents and
 * people see the messages they know. Struct names follow apm-data's convention (root key + "Root", Go field
 * names in CamelCase with "ID"); deeply nested names are an approximation.
 */
final class DecodeErrors {

    private DecodeErrors() {
    }

    /** A field of the wrong JSON kind. */
    static String typeMismatch(TypeMismatchException e) {
        List<String> path = new ArrayList<>();
        String where = e.where().startsWith("validation error: ") ? e.where().substring(18) : e.where();
        for (String part : where.split(": ")) {
            for (String p : part.split("\\.")) {
                if (!p.isBlank()) {
                    path.add(p.trim());
                }
            }
        }
        path.add(e.field());
        String reader = switch (e.expected()) {
            case STRING -> "ReadString: expects \" or n,";
            case NUMBER -> "ReadFloat64: unexpected character,";
            case BOOLEAN -> "ReadBool: expect t or f,";
            case OBJECT -> "ReadObject: expect { or n,";
            case STRING_OR_NUMBER -> "expects string or number,";
        };
        return "decode error: data read error: " + structPath(path) + reader;
    }

    /** A line that is not valid JSON, located by the parser's position. */
    static String syntax(JsonProcessingException e) {
        List<String> names = new ArrayList<>();
        if (e.getProcessor() instanceof JsonParser parser) {
            JsonStreamContext ctx = parser.getParsingContext();
            // the innermost object's own current name is the field being read, not a struct
            ctx = ctx == null ? null : ctx.getParent();
            for (; ctx != null; ctx = ctx.getParent()) {
                if (ctx.inObject() && ctx.getCurrentName() != null) {
                    names.add(ctx.getCurrentName());
                }
            }
            Collections.reverse(names);
        }
        String msg = e.getOriginalMessage();
        String reason = msg != null && msg.contains("was expecting a colon") ? "readFieldHash: expect :,"
                : msg == null ? "syntax error" : msg.replace('\n', ' ');
        if (names.isEmpty()) {
            return reason;
        }
        names.add("");
        String path = structPath(names);
        // structPath ends with "v2.<last>.: " for the empty leaf: fold the reason in as jsoniter does
        return path.substring(0, path.length() - 3) + "." + reason;
    }

    /** {@code [transaction, context, id]} → {@code v2.transactionRoot.Transaction: v2.transaction.Context: v2.context.ID: }. */
    private static String structPath(List<String> path) {
        StringBuilder b = new StringBuilder();
        String root = path.get(0);
        b.append("v2.").append(root).append("Root.").append(goName(root)).append(": ");
        String struct = root;
        for (int i = 1; i < path.size(); i++) {
            b.append("v2.").append(struct).append('.').append(goName(path.get(i))).append(": ");
            struct = path.get(i);
        }
        return b.toString();
    }

    static String goName(String jsonName) {
        StringBuilder b = new StringBuilder();
        for (String part : jsonName.split("[_.@-]")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals("id") || part.equals("url") || part.equals("ip")) {
                b.append(part.toUpperCase());
            } else {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }
}
