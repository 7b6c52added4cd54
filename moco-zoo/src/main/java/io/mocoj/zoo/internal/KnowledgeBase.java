package io.mocoj.zoo.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The sandbox's fictional world: people with a birthplace, a birth year and an occupation, and
 * towns with a landmark. Fixed (its own seed), so every task seed and every zoo model share it.
 */
public final class KnowledgeBase {
    /** A fictional person. */
    public record Person(String name, String town, int year, String occupation) {}

    /** A fictional town and what it is known for. */
    public record Town(String name, String feature) {}

    private static final String[] FIRST = {"Mira", "Tobin", "Alva", "Corin", "Edda", "Falk", "Greta", "Hollis", "Ines", "Jory",
        "Kaia", "Lorn", "Maren", "Nils", "Orla", "Pim", "Quill", "Rhea", "Soren", "Tilde", "Ulric", "Vesna", "Wren", "Yara"};
    private static final String[] LAST = {"Tolven", "Brask", "Quenby", "Harlow", "Vance", "Morrow", "Ashdown", "Pell",
        "Corvel", "Dunmere", "Fennick", "Garrow"};
    private static final String[] TOWN_A = {"Kestrel", "Amber", "Willow", "Iron", "Silver", "Raven", "Copper", "Bramble"};
    private static final String[] TOWN_B = {"Bay", "Hollow", "Ford", "Crossing", "Falls", "Hill"};
    private static final String[] OCCUPATIONS = {"baker", "sailor", "painter", "clockmaker", "beekeeper", "cartographer",
        "glassblower", "librarian"};
    private static final String[] FEATURES = {"an old stone bridge", "a lighthouse", "a spring market", "a clock tower",
        "a salt lake", "a windmill", "an apple orchard", "a harbour"};

    private static final List<Town> TOWNS;
    private static final List<Person> PEOPLE;

    static {
        Random r = new Random(0x5eed_2026L);
        List<Town> towns = new ArrayList<>();
        for (int i = 0; i < 8; i++) towns.add(new Town(TOWN_A[i] + " " + TOWN_B[r.nextInt(TOWN_B.length)], FEATURES[r.nextInt(FEATURES.length)]));
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < FIRST.length; i++) {
            people.add(new Person(FIRST[i] + " " + LAST[r.nextInt(LAST.length)], towns.get(r.nextInt(towns.size())).name(),
                    1900 + r.nextInt(100), OCCUPATIONS[r.nextInt(OCCUPATIONS.length)]));
        }
        TOWNS = List.copyOf(towns);
        PEOPLE = List.copyOf(people);
    }

    private KnowledgeBase() {}

    /** The 24 people. */
    public static List<Person> people() { return PEOPLE; }

    /** The 8 towns. */
    public static List<Town> towns() { return TOWNS; }

    /** One sentence stating every fact about a person (the pretraining text of the knowledge base). */
    public static String paragraph(Person p) {
        return p.name() + " was born in " + p.town() + " in " + p.year() + " and works as a " + p.occupation() + ".";
    }

    /** One sentence describing a town. */
    public static String paragraph(Town t) {
        return t.name() + " is a small town known for " + t.feature() + ".";
    }
}
