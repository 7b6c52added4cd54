package io.mocoj.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding whose error says where the first bad byte is (not "Input length = 1"). */
public final class Utf8 {
    private Utf8() {}

    /** @throws ConfigException naming {@code what}, the line and byte offset of the first invalid byte */
    public static String decode(byte[] bytes, String what) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = d.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) if (bytes[i] == '\n') line++;
            throw new ConfigException(what + " is not valid UTF-8 text: byte " + (at + 1) + " (line " + line + ") is 0x"
                    + String.format("%02x", bytes[at] & 0xff) + "; save the file as UTF-8");
        }
        d.flush(out);
        out.flip();
        String s = out.toString();
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

}
