package io.viewpush.http.transport;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class FormUrlEncodingOutputStreamTest {

    @Test
    void encodesAsUrlEncoderDoesWhateverTheWriteSizes() throws IOException {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        String alphabet = "azAZ09*-._ ~!\"#$%&'()+,/:;<=>?@[\\]^`{|}\n\t\u00e9\u20ac\uD83D\uDE00\u0000";
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            int length = r.nextInt(10) == 0 ? r.nextInt(60_000, 200_000) : r.nextInt(200);
            while (text.length() < length) {
                int at = r.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                text.append(c);
                if (Character.isHighSurrogate(c)) {
                    text.append(alphabet.charAt(at + 1));
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (FormUrlEncodingOutputStream out = new FormUrlEncodingOutputStream(sink)) {
                int i = 0;
                while (i < bytes.length) {
                    if (r.nextInt(8) == 0) {
                        out.write(bytes[i++]);
                    } else {
                        int n = Math.min(bytes.length - i, r.nextInt(1, 70_000));
                        out.write(bytes, i, n);
                        i += n;
                    }
                }
            }
            assertThat(sink.toString(StandardCharsets.US_ASCII)).as("seed %d, round %d", seed, round)
                    .isEqualTo(URLEncoder.encode(text.toString(), StandardCharsets.UTF_8));
        }
    }
}
