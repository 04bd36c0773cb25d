package dev.beatline.intake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A chunked HTTP/1.1 request written by hand over a socket, so a test controls when each part of the body is
 * sent (as an agent's long-lived stream does) and can read the answer even when the server stops reading early.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    public RawHttp(int port, String method, String path, String... headers) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Transfer-Encoding: chunked\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends one chunk of body now. */
    public void chunk(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public void chunk(String data) throws IOException {
        chunk(data.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the body and reads the whole answer (status line, headers, body) as text. */
    public String finish() throws IOException {
        try {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException serverAlreadyAnswered) {
            // the server may have answered and stopped reading; the answer is still there to read
        }
        return readAnswer();
    }

    /** Reads the answer without ending the body (the server answered early). */
    public String readAnswer() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                answer.write(buf, 0, n);
                String s = answer.toString(StandardCharsets.UTF_8);
                if (complete(s)) {
                    break;
                }
            }
        } catch (IOException reset) {
            if (answer.size() == 0) {
                throw reset;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static boolean complete(String s) {
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = s.substring(0, end).toLowerCase();
        int cl = head.indexOf("content-length:");
        if (cl >= 0) {
            int eol = head.indexOf("\r\n", cl);
            int len = Integer.parseInt(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
            return s.length() - end - 4 >= len;
        }
        if (head.contains("transfer-encoding: chunked")) {
            return s.endsWith("0\r\n\r\n");
        }
        return true;
    }

    /** The status code of an answer read by {@link #finish()}. */
    public static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    /** The body of an answer (de-chunked when needed). */
    public static String body(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, end).toLowerCase();
        String rest = answer.substring(end + 4);
        if (!head.contains("transfer-encoding: chunked")) {
            return rest;
        }
        StringBuilder body = new StringBuilder();
        int pos = 0;
        while (pos < rest.length()) {
            int eol = rest.indexOf("\r\n", pos);
            int len = Integer.parseInt(rest.substring(pos, eol).trim(), 16);
            if (len == 0) {
                break;
            }
            body.append(rest, eol + 2, eol + 2 + len);
            pos = eol + 2 + len + 2;
        }
        return body.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
