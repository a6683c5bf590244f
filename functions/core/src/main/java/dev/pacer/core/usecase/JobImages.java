package dev.pacer.core.usecase;

import dev.pacer.core.job.Job;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Where a job's images are kept: {@code generations/{id}/{n}.{ext}}, numbered in the order they were made. */
final class JobImages {

    private final ImageStore store;

    JobImages(ImageStore store) {
        this.store = store;
    }

    /** The images stored for the job so far, in their order (by number: 10 comes after 9). */
    List<StoredImage> stored(Job job) {
        return store.stored(prefix(job)).stream()
                .sorted(Comparator.comparingInt(JobImages::number))
                .toList();
    }

    /** Stores a call's images after those the job already has, numbered on from them: nothing is overwritten. */
    List<StoredImage> store(Job job, List<StoredImage> kept, ProviderOutcome outcome) {
        List<StoredImage> stored = new ArrayList<>(kept);
        for (GeneratedImage image : outcome.made().map(ProviderOutcome.Generated::images).orElse(List.of())) {
            String key = prefix(job) + stored.size() + "." + image.fileExtension();
            store.put(key, image.bytes(), image.contentType());
            stored.add(new StoredImage(key, image.contentType(), image.bytes().length));
        }
        return stored;
    }

    /**
     * Stores a batch line's images at their own numbers, {@code firstIndex} on: the job's usual keys. Writing a line
     * again (a poller that died before it ended the job) overwrites the same keys with the same images.
     */
    List<StoredImage> storeAt(String jobId, int firstIndex, List<GeneratedImage> images) {
        List<StoredImage> stored = new ArrayList<>();
        for (int n = 0; n < images.size(); n++) {
            GeneratedImage image = images.get(n);
            String key = "generations/" + jobId + "/" + (firstIndex + n) + "." + image.fileExtension();
            store.put(key, image.bytes(), image.contentType());
            stored.add(new StoredImage(key, image.contentType(), image.bytes().length));
        }
        return stored;
    }

    private static String prefix(Job job) {
        return "generations/" + job.id() + "/";
    }

    /** {@code generations/{id}/{n}.{ext}} → n. */
    private static int number(StoredImage image) {
        String name = image.key().substring(image.key().lastIndexOf('/') + 1);
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }
}
