package dev.pacer.providers.simulated;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A picture derived from the prompt: two colours and a ring pattern from the prompt's hash, so the
 * same prompt always draws the same image and different prompts visibly differ.
 */
record PromptPicture(int width, int height, int fromRgb, int toRgb, int rings) implements PngEncoder.Picture {

    static PromptPicture of(String prompt, int width, int height) {
        byte[] hash = sha256(prompt);
        int from = (hash[0] & 0xff) << 16 | (hash[1] & 0xff) << 8 | (hash[2] & 0xff);
        int to = (hash[3] & 0xff) << 16 | (hash[4] & 0xff) << 8 | (hash[5] & 0xff);
        int rings = 3 + (hash[6] & 0x07);
        return new PromptPicture(width, height, from, to, rings);
    }

    @Override
    public int rgb(int x, int y) {
        double dx = x - width / 2.0;
        double dy = y - height / 2.0;
        double radius = Math.sqrt(dx * dx + dy * dy) / Math.max(width, height);
        double t = 0.5 + 0.5 * Math.sin(radius * rings * 2 * Math.PI);
        return blend(fromRgb, toRgb, t);
    }

    private static int blend(int a, int b, double t) {
        int r = (int) Math.round(((a >>> 16) & 0xff) * (1 - t) + ((b >>> 16) & 0xff) * t);
        int g = (int) Math.round(((a >>> 8) & 0xff) * (1 - t) + ((b >>> 8) & 0xff) * t);
        int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return r << 16 | g << 8 | bl;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
