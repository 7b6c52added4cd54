package io.mocoj.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the bundled demo dataset {@code examples/configs/data/demo_mcq.json}: 40 dev and 40 test
 * multiple-choice questions shaped like MoCo's {@code agieval_tiny} (question, choices A–E, answer,
 * domain), generated from templates with known answers so the out-of-the-box demo needs no download.
 * Run: {@code examples/run DemoData} (from the repository root; finds a JDK 21+ like {@code ./moco}).
 */
public final class DemoData {
    private DemoData() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "examples/configs/data/demo_mcq.json");
        Random rnd = new Random(20261124);
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", "demo_mcq");
        file.put("task_type", "multiple_choice");
        file.put("dev", split(rnd, 40, 0));
        file.put("test", split(rnd, 40, 1000));
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), file);
        System.out.println("wrote " + out);
    }

    private static List<Map<String, Object>> split(Random rnd, int n, int firstId) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Item it = switch (i % 4) {
                case 0 -> arithmetic(rnd);
                case 1 -> speed(rnd);
                case 2 -> sequence(rnd);
                default -> ordering(rnd);
            };
            items.add(toJson(firstId + i, it, rnd));
        }
        return items;
    }

    private record Item(String domain, String question, String answer, List<String> wrong) {}

    private static Item arithmetic(Random r) {
        int a = 12 + r.nextInt(80), b = 3 + r.nextInt(20), c = 2 + r.nextInt(9);
        int v = a + b * c;
        return new Item("arithmetic", "What is the value of " + a + " + " + b + " × " + c + "?",
                Integer.toString(v), List.of(Integer.toString((a + b) * c), Integer.toString(v + c), Integer.toString(v - b), Integer.toString(v + 11)));
    }

    private static Item speed(Random r) {
        int hours = 2 + r.nextInt(5), speed = 30 + 5 * r.nextInt(15);
        int dist = hours * speed;
        return new Item("word_problems", "A train covers " + dist + " km in " + hours
                + " hours at a constant speed. How many kilometres does it cover in one hour?",
                speed + " km", List.of((speed + 5) + " km", (speed - 5) + " km", (dist - hours) + " km", (speed * 2) + " km"));
    }

    private static Item sequence(Random r) {
        int start = 1 + r.nextInt(9), step = 2 + r.nextInt(7);
        String seq = start + ", " + (start + step) + ", " + (start + 2 * step) + ", " + (start + 3 * step);
        int next = start + 4 * step;
        return new Item("sequences", "Which number comes next in the sequence " + seq + ", ...?",
                Integer.toString(next), List.of(Integer.toString(next + 1), Integer.toString(next + step), Integer.toString(next - 1), Integer.toString(start + 3 * step * 2)));
    }

    private static Item ordering(Random r) {
        String[] names = {"Ana", "Ben", "Chen", "Dara", "Eli", "Femi"};
        List<String> pool = new ArrayList<>(List.of(names));
        java.util.Collections.shuffle(pool, r);
        String x = pool.get(0), y = pool.get(1), z = pool.get(2);
        return new Item("logic", x + " is taller than " + y + ", and " + y + " is taller than " + z
                + ". Which of the following must be true?",
                x + " is taller than " + z, List.of(z + " is taller than " + x, y + " is the tallest of the three",
                z + " is taller than " + y, x + " is the shortest of the three"));
    }

    private static Map<String, Object> toJson(int id, Item it, Random r) {
        List<String> options = new ArrayList<>(it.wrong());
        int pos = r.nextInt(5);
        options.add(pos, it.answer());
        Map<String, String> choices = new LinkedHashMap<>();
        for (int k = 0; k < 5; k++) choices.put(String.valueOf((char) ('A' + k)), options.get(k));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("question", it.question());
        m.put("choices", choices);
        m.put("answer", String.valueOf((char) ('A' + pos)));
        m.put("domain", it.domain());
        return m;
    }
}
