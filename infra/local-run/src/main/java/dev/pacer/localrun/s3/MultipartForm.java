package dev.pacer.localrun.s3;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A multipart/form-data body as S3 reads a POST form: text fields by lower-case name, and the part named {@code file}. */
record MultipartForm(Map<String, String> fields, Optional<byte[]> file) {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");

    static MultipartForm parse(String contentType, byte[] body) {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !boundary.find()) {
            throw new IllegalArgumentException("the body must be multipart/form-data with a boundary");
        }
        byte[] delimiter = ("--" + boundary.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, String> fields = new LinkedHashMap<>();
        byte[] file = null;
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 2 <= body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // the closing delimiter
            }
            start += 2; // CRLF after the delimiter
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                throw new IllegalArgumentException("the form has no closing boundary");
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
            byte[] content = Arrays.copyOfRange(body, headersEnd + 4, next - 2); // CRLF before the next delimiter
            Matcher name = NAME.matcher(headers);
            if (name.find()) {
                String field = name.group(1).toLowerCase(Locale.ROOT);
                if ("file".equals(field)) {
                    file = content;
                } else if (file == null) {
                    // S3 ignores fields after the file
                    fields.put(field, new String(content, StandardCharsets.UTF_8));
                }
            }
            at = next;
        }
        return new MultipartForm(fields, Optional.ofNullable(file));
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
