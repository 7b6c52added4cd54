package io.mocoj.internal.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Serialises maps and sets in an order that does not change from one JVM to the next: ordered
 * collections ({@link LinkedHashMap}, sorted maps, {@link EnumMap}, {@link LinkedHashSet}, sorted
 * sets) keep their order, every other map is written by key and every other set by element
 * ({@code Map.of}, {@code Set.of} and hash collections iterate in an order that depends on a
 * per-JVM seed). Same seed and inputs then give the same run log bytes, times apart.
 */
final class DeterministicJson {
    private DeterministicJson() {}

    private static final Comparator<Object> BY_TEXT = Comparator.comparing(String::valueOf);

    static SimpleModule module() {
        SimpleModule m = new SimpleModule("mocoj-deterministic");
        m.addSerializer(Map.class, new MapInOrder());
        m.addSerializer(Set.class, new SetInOrder());
        return m;
    }

    @SuppressWarnings("rawtypes")
    private static final class MapInOrder extends JsonSerializer<Map> {
        @Override
        public void serialize(Map map, JsonGenerator g, SerializerProvider p) throws IOException {
            List<Map.Entry<?, ?>> entries = new ArrayList<>();
            for (Object e : map.entrySet()) entries.add((Map.Entry<?, ?>) e);
            if (!(map instanceof LinkedHashMap || map instanceof SortedMap || map instanceof EnumMap)) {
                entries.sort((a, b) -> BY_TEXT.compare(a.getKey(), b.getKey()));
            }
            g.writeStartObject(map);
            for (Map.Entry<?, ?> e : entries) {
                g.writeFieldName(e.getKey() instanceof Enum<?> en ? en.name() : String.valueOf(e.getKey()));
                p.defaultSerializeValue(e.getValue(), g);
            }
            g.writeEndObject();
        }

        @Override public boolean isEmpty(SerializerProvider p, Map value) { return value.isEmpty(); }
    }

    @SuppressWarnings("rawtypes")
    private static final class SetInOrder extends JsonSerializer<Set> {
        @Override
        public void serialize(Set set, JsonGenerator g, SerializerProvider p) throws IOException {
            List<Object> items = new ArrayList<>(set);
            if (!(set instanceof LinkedHashSet || set instanceof SortedSet || set instanceof java.util.EnumSet)) items.sort(BY_TEXT);
            g.writeStartArray(set, items.size());
            for (Object o : items) p.defaultSerializeValue(o, g);
            g.writeEndArray();
        }
    }
}
